#include "server/inbound/thread_authority.hpp"
#include "federation/http/urls.hpp"

#include "federation/remote/actor_document.hpp"
#include "federation/delivery/outbox.hpp"
#include "federation/storage_async.hpp"
#include "storage/actors.hpp"
#include "storage/follows.hpp"
#include "storage/posts.hpp"
#include "storage/thread_audience.hpp"

#include <algorithm>

namespace civicpub::server::inbound {
namespace {

// What the stored rows say should happen to the activity.
struct Plan {
  enum class Kind { none, forward, pass_on } kind = Kind::none;
  std::int64_t signer_id = 0;        // the local actor whose key signs the forwarded copies
  std::vector<std::string> inboxes;  // forward; pass_on when the owner is stored
  std::string owner_context;         // pass_on: the context collection to ask for its owner
  std::string reason;                // why nothing happens (for the debug log)
};

Plan nothing(std::string reason) {
  Plan p;
  p.reason = std::move(reason);
  return p;
}

bool about_a_post(std::string_view type) {
  return type == "Create" || type == "Update" || type == "Delete";
}

std::string inbox_of(const storage::ActorRecord& actor) {
  return actor.shared_inbox.empty() ? actor.inbox : actor.shared_inbox;
}

// The servers that delivered the activity to us have it already: its actor's and the HTTP
// signer's (another thread owner forwarding it). Compared by authority (host and port).
bool on_sender_server(const std::string& inbox, const std::string& actor,
                      const std::string& key_id) {
  const auto box = federation::http::authority_of(inbox);
  if (!box) return true;  // not an http(s) URL: nowhere to deliver
  return box == federation::http::authority_of(actor) || (!key_id.empty() && box == federation::http::authority_of(key_id));
}

// The thread owner's server sent the activity, or forwarded it: it has it.
bool from_owner_server(const storage::ActorRecord& owner, const std::string& actor,
                       const std::string& key_id) {
  const auto home = federation::http::authority_of(owner.uri);
  if (home == federation::http::authority_of(actor) || (!key_id.empty() && home == federation::http::authority_of(key_id))) {
    return true;
  }
  return on_sender_server(inbox_of(owner), actor, key_id);
}

Result<Plan> forward_plan(storage::Connection& c, const storage::thread_audience::LocalThread& t,
                          const federation::as2::ActivityEnvelope& env, const std::string& key_id) {
  auto owner = storage::actors::find_by_id(c, t.owner_id);
  if (!owner) return owner.error();
  if (!*owner || (*owner)->deleted_at) return nothing("the thread owner's account is gone");
  auto followers = storage::follows::follower_inboxes(c, t.owner_id);
  if (!followers) return followers.error();
  auto participants = storage::thread_audience::participant_inboxes(c, t.root, t.context);
  if (!participants) return participants.error();
  Plan plan;
  plan.kind = Plan::Kind::forward;
  plan.signer_id = t.owner_id;
  plan.inboxes = std::move(*followers);
  plan.inboxes.insert(plan.inboxes.end(), participants->begin(), participants->end());
  std::erase_if(plan.inboxes,
                [&](const std::string& box) { return on_sender_server(box, env.actor, key_id); });
  std::sort(plan.inboxes.begin(), plan.inboxes.end());
  plan.inboxes.erase(std::unique(plan.inboxes.begin(), plan.inboxes.end()), plan.inboxes.end());
  return plan;
}

// A reply to one of our posts in a thread owned elsewhere: to its owner.
Result<Plan> pass_on_plan(storage::Connection& c, const storage::PostRecord& post,
                          const federation::as2::ActivityEnvelope& env, const std::string& key_id) {
  if (post.in_reply_to.empty()) return nothing("not a reply");
  auto parent = storage::posts::find_by_ap_id(c, post.in_reply_to);
  if (!parent) return parent.error();
  if (!*parent || !(*parent)->local) return nothing("neither our thread nor a reply to our post");
  auto replied = storage::actors::find_by_id(c, (*parent)->author_id);
  if (!replied) return replied.error();
  if (!*replied || (*replied)->deleted_at) return nothing("our post's author is gone");

  Plan plan;
  plan.kind = Plan::Kind::pass_on;
  plan.signer_id = (*replied)->id;
  auto root = storage::posts::find_by_ap_id(c, post.thread_root);
  if (!root) return root.error();
  if (*root && (*root)->in_reply_to.empty()) {
    auto owner = storage::actors::find_by_id(c, (*root)->author_id);
    if (!owner) return owner.error();
    if (!*owner || (*owner)->local || (*owner)->deleted_at) return nothing("no remote owner");
    if (from_owner_server(**owner, env.actor, key_id)) {
      return nothing("it came from the thread owner's server");
    }
    plan.inboxes.push_back(inbox_of(**owner));
    return plan;
  }
  const std::string& context = post.context.empty() ? (*parent)->context : post.context;
  if (context.empty()) return nothing("the thread's owner is unknown (no top post, no context)");
  plan.owner_context = context;
  return plan;
}

Result<Plan> plan_for(storage::Connection& c, const federation::as2::ActivityEnvelope& env,
                      const std::string& key_id) {
  auto post = storage::posts::find_by_ap_id(c, *env.object_id);
  if (!post) return post.error();
  if (!*post) return nothing("no post stored");
  if ((*post)->local) return nothing("a local post");
  const bool deleted = (*post)->deleted_at.has_value();
  if (deleted != (env.type == "Delete")) return nothing("the post's state does not match");
  auto author = storage::actors::find_by_id(c, (*post)->author_id);
  if (!author) return author.error();
  if (!*author || (*author)->uri != env.actor) return nothing("not the author's own activity");
  const auto visibility = (*post)->visibility;
  if (visibility != storage::Visibility::public_ && visibility != storage::Visibility::unlisted) {
    return nothing("not a public or unlisted post");
  }
  auto ours =
      storage::thread_audience::find_local_thread(c, (*post)->thread_root, (*post)->context);
  if (!ours) return ours.error();
  if (*ours) return forward_plan(c, **ours, env, key_id);
  return pass_on_plan(c, **post, env, key_id);
}

// Plain function, not a lambda in the coroutine (GCC 12 destroys its captures twice).
auto forward_job(std::string activity_id, std::int64_t signer_id, std::string body,
                 std::vector<std::string> inboxes, storage::Millis now) {
  return [activity_id = std::move(activity_id), signer_id, body = std::move(body),
          inboxes = std::move(inboxes), now](storage::Connection& c) {
    return federation::forward_activity(c, activity_id, signer_id, body, inboxes, now);
  };
}

}  // namespace

boost::asio::awaitable<Result<std::size_t>> apply_thread_authority(
    ActivityContext& ctx, const storage::InboxItemRecord& item,
    const federation::as2::ActivityEnvelope& envelope) {
  if (!about_a_post(envelope.type) || !envelope.object_id ||
      *envelope.object_id == envelope.actor) {
    co_return std::size_t{0};
  }
  const std::string& key_id = item.key_id;
  auto planned = ctx.db.read([&](storage::Connection& c) { return plan_for(c, envelope, key_id); });
  if (!planned) co_return planned.error();
  Plan plan = std::move(*planned);
  if (plan.kind == Plan::Kind::none) {
    ctx.log.debug("{} {}: not forwarded ({})", envelope.type, envelope.id, plan.reason);
    co_return std::size_t{0};
  }
  if (plan.kind == Plan::Kind::pass_on && plan.inboxes.empty()) {
    auto owner = co_await ctx.posts.context_owner(plan.owner_context);
    if (!owner) {
      ctx.log.info("{} {}: owner of {} not found: {}", envelope.type, envelope.id,
                   plan.owner_context, owner.error().message());
      co_return std::size_t{0};
    }
    if (owner->local || owner->deleted_at || from_owner_server(*owner, envelope.actor, key_id)) {
      ctx.log.debug("{} {}: not passed on to {}", envelope.type, envelope.id, owner->uri);
      co_return std::size_t{0};
    }
    plan.inboxes.push_back(inbox_of(*owner));
  }
  if (plan.inboxes.empty()) co_return std::size_t{0};

  auto queued = co_await federation::write(
      ctx.db, forward_job(envelope.id, plan.signer_id, item.body, std::move(plan.inboxes),
                          ctx.clock()));
  if (!queued) co_return queued.error();
  if (*queued > 0) {
    ctx.log.info("{} {}: {} to {} inbox(es)", envelope.type, envelope.id,
                 plan.kind == Plan::Kind::forward ? "forwarded" : "passed on to the thread owner",
                 *queued);
    if (ctx.on_enqueued) ctx.on_enqueued();
  }
  co_return queued;
}

}  // namespace civicpub::server::inbound
