#include "server/inbound/group_intake.hpp"

#include "federation/as2/reader.hpp"
#include "federation/storage_async.hpp"
#include "server/services/group_changes.hpp"
#include "server/services/group_posting.hpp"
#include "storage/actors.hpp"
#include "storage/post_details.hpp"
#include "storage/posts.hpp"

#include <string_view>
#include <unordered_set>

namespace civicpub::server::inbound {
namespace {

struct Decision {
  storage::ActorRecord group;
  services::GroupVerdict verdict = services::GroupVerdict::accept;
};

struct Plan {
  storage::ActorRecord author;
  storage::PostRecord post;
  std::vector<Decision> decisions;
  std::string reason;  // why nothing happens (debug log)
};

void add_ids(std::vector<std::string>& out, const rapidjson::Value& object) {
  for (const char* name : {"to", "cc", "audience"}) {
    for (auto& id : federation::as2::member_ids(object, name)) out.push_back(std::move(id));
  }
}

Result<Plan> plan_for(storage::Connection& c, const federation::InboundActivity& inbound) {
  const auto& env = inbound.envelope;
  Plan plan;
  auto post = storage::posts::find_by_ap_id(c, *env.object_id);
  if (!post) return post.error();
  if (!*post || (*post)->local || (*post)->deleted_at) {
    plan.reason = "no remote post stored";
    return plan;
  }
  auto author = storage::actors::find_by_id(c, (*post)->author_id);
  if (!author) return author.error();
  if (!*author || (*author)->uri != env.actor) {
    plan.reason = "not the author's own activity";
    return plan;
  }
  const auto visibility = (*post)->visibility;
  if (visibility != storage::Visibility::public_ && visibility != storage::Visibility::unlisted) {
    plan.reason = "not a public or unlisted post";
    return plan;
  }
  std::vector<std::string> addressed;
  add_ids(addressed, inbound.json);
  if (env.object) add_ids(addressed, *env.object);
  auto mentions = storage::post_details::mentions(c, (*post)->id);
  if (!mentions) return mentions.error();
  for (const auto& m : *mentions) addressed.push_back(m.actor_uri);
  // The activity and its object usually name the same audience: each address once, in order.
  std::unordered_set<std::string_view> seen;
  std::vector<std::string> unique;
  unique.reserve(addressed.size());
  for (auto& id : addressed) {
    if (seen.insert(id).second) unique.push_back(id);
  }
  addressed = std::move(unique);
  // Bounded: to/cc/audience are read with the parser's array caps; a post naming more of our
  // groups than kMaxGroupsPerPost is announced in the first few only.
  auto groups = services::groups_of_post(c, addressed, (*post)->thread_root, (*post)->in_reply_to);
  if (!groups) return groups.error();
  const std::string thread = (*post)->in_reply_to.empty() ? std::string() : (*post)->thread_root;
  for (auto& group : *groups) {
    auto settings = storage::groups::find(c, group.id);
    if (!settings) return settings.error();
    if (!*settings) continue;
    auto verdict = services::check_group_post(c, **settings, (*author)->id, thread);
    if (!verdict) return verdict.error();
    plan.decisions.push_back({std::move(group), *verdict});
  }
  if (plan.decisions.empty()) plan.reason = "names none of our groups";
  plan.author = std::move(**author);
  plan.post = std::move(**post);
  return plan;
}

// A plain function, not a lambda in the coroutine (GCC 12 destroys its captures twice). The
// activity is the inbound document, alive until the dispatcher returns.
auto announce_job(Plan plan, std::string activity_id, const rapidjson::Value* activity,
                  storage::Millis now) {
  return [plan = std::move(plan), activity_id = std::move(activity_id), activity,
          now](storage::Connection& c) -> Result<std::size_t> {
    std::size_t queued = 0;
    for (const auto& d : plan.decisions) {
      Result<std::size_t> r = std::size_t{0};
      if (d.verdict == services::GroupVerdict::accept) {
        services::GroupAnnouncement a;
        a.activity_id = activity_id;
        a.activity = activity;
        a.post_uri = plan.post.ap_id;
        a.thread_root = plan.post.thread_root;
        a.new_thread = plan.post.in_reply_to.empty();
        r = services::announce_in_group(c, d.group, a, now);
      } else {
        r = services::reject_group_post(c, d.group, plan.author, activity_id, now);
      }
      if (!r) return r.error();
      queued += *r;
    }
    return queued;
  };
}

const char* verdict_text(services::GroupVerdict v) {
  switch (v) {
    case services::GroupVerdict::accept: return "announced";
    case services::GroupVerdict::not_a_member: return "refused (not a member)";
    case services::GroupVerdict::moderators_only: return "refused (only moderators start threads)";
    case services::GroupVerdict::blocked: return "refused (the author is blocked)";
    case services::GroupVerdict::thread_locked: return "refused (the thread is locked)";
  }
  return "?";
}

// The author's own Update or Delete of a remote public or unlisted post one of our groups
// announced: the group announces it too. The Update and Delete handlers ran first (the post is
// edited, or deleted but still stored); someone else's Delete never got this far as an author's
// (a moderator's is group moderation, anyone else's is refused by the Delete handler).
auto change_job(std::string post_uri, std::string actor, std::string activity_id,
                const rapidjson::Value* activity, storage::Millis now) {
  return [post_uri = std::move(post_uri), actor = std::move(actor),
          activity_id = std::move(activity_id), activity,
          now](storage::Connection& c) -> Result<std::size_t> {
    auto post = storage::posts::find_by_ap_id(c, post_uri);
    if (!post) return post.error();
    if (!*post || (*post)->local) return std::size_t{0};
    const auto visibility = (*post)->visibility;
    if (visibility != storage::Visibility::public_ && visibility != storage::Visibility::unlisted) {
      return std::size_t{0};
    }
    auto author = storage::actors::find_by_id(c, (*post)->author_id);
    if (!author) return author.error();
    if (!*author || (*author)->uri != actor) return std::size_t{0};
    return services::announce_change_in_group(c, post_uri, activity_id, *activity, now);
  };
}

}  // namespace

boost::asio::awaitable<Result<std::size_t>> apply_group_change(
    ActivityContext& ctx, const federation::InboundActivity& inbound) {
  const auto& env = inbound.envelope;
  if ((env.type != "Update" && env.type != "Delete") || !env.object_id) co_return std::size_t{0};
  auto job = change_job(*env.object_id, env.actor, env.id, &inbound.json, ctx.clock());
  auto queued = co_await federation::write(ctx.db, std::move(job));
  if (!queued) co_return queued.error();
  if (*queued > 0) {
    ctx.log.info("{} {} of a group post: announced by its group", env.type, env.id);
    if (ctx.on_enqueued) ctx.on_enqueued();
  }
  co_return *queued;
}

boost::asio::awaitable<Result<std::size_t>> apply_group_posting(
    ActivityContext& ctx, const federation::InboundActivity& inbound) {
  const auto& env = inbound.envelope;
  if (env.type == "Update" || env.type == "Delete") {
    auto changed = co_await apply_group_change(ctx, inbound);
    co_return changed;
  }
  if (env.type != "Create" || !env.object_id) co_return std::size_t{0};
  auto planned = ctx.db.read([&](storage::Connection& c) { return plan_for(c, inbound); });
  if (!planned) co_return planned.error();
  if (planned->decisions.empty()) {
    ctx.log.debug("Create {}: no group post ({})", env.id, planned->reason);
    co_return std::size_t{0};
  }
  std::size_t announced = 0;
  for (const auto& d : planned->decisions) {
    ctx.log.info("Create {} in group {}: {}", env.id, d.group.uri, verdict_text(d.verdict));
    if (d.verdict == services::GroupVerdict::accept) ++announced;
  }
  auto queued = co_await federation::write(
      ctx.db, announce_job(std::move(*planned), env.id, &inbound.json, ctx.clock()));
  if (!queued) co_return queued.error();
  if (*queued > 0 && ctx.on_enqueued) ctx.on_enqueued();
  co_return announced;
}

}  // namespace civicpub::server::inbound
