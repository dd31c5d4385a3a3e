#include "server/inbound/group_moderation_intake.hpp"

#include "federation/as2/reader.hpp"
#include "federation/storage_async.hpp"
#include "server/services/group_moderation.hpp"
#include "storage/actors.hpp"
#include "storage/groups.hpp"
#include "storage/posts.hpp"

namespace civicpub::server::inbound {
namespace {

using services::ModerationAction;

struct Plan {
  bool ours = false;  // a moderation of one of our groups
  bool allowed = false;
  storage::ActorRecord group;
  ModerationAction action = ModerationAction::remove;
  std::string object;
  std::string reason;  // the activity's summary
};

Result<std::optional<storage::ActorRecord>> local_group(storage::Connection& c,
                                                        std::optional<std::int64_t> id,
                                                        const std::string& uri) {
  auto actor = id ? storage::actors::find_by_id(c, *id) : storage::actors::find_by_uri(c, uri);
  if (!actor) return actor.error();
  if (!*actor || !(*actor)->local || (*actor)->deleted_at || (*actor)->type != "Group") {
    return std::optional<storage::ActorRecord>();
  }
  return actor;
}

// The action an activity of `type` (after Undo: the undone one's) stands for, and the group it
// concerns: Delete and Lock by the group that announced the post; Add and Remove by the group
// whose featured collection is the target; Block by the group that is the target.
Result<std::optional<storage::ActorRecord>> find_group(storage::Connection& c,
                                                       const std::string& type,
                                                       const rapidjson::Value& activity,
                                                       const std::string& object, Plan& plan) {
  const auto target = federation::as2::member_id(activity, "target").value_or("");
  if (type == "Delete" || type == "Lock") {
    plan.action = type == "Delete" ? ModerationAction::remove : ModerationAction::lock;
    auto id = storage::groups::group_of_post(c, object);
    if (!id) return id.error();
    if (!*id) return std::optional<storage::ActorRecord>();
    return local_group(c, *id, {});
  }
  if (type == "Add" || type == "Remove") {
    constexpr std::string_view kFeatured = "/featured";
    if (!target.ends_with(kFeatured)) return std::optional<storage::ActorRecord>();
    plan.action = type == "Add" ? ModerationAction::feature : ModerationAction::unfeature;
    return local_group(c, {}, target.substr(0, target.size() - kFeatured.size()));
  }
  if (type == "Block") {
    plan.action = ModerationAction::block;
    return local_group(c, {}, target);
  }
  return std::optional<storage::ActorRecord>();
}

Result<Plan> plan_for(storage::Connection& c, const Activity& activity) {
  Plan plan;
  const auto& env = activity.envelope;
  const rapidjson::Value* acted = &activity.json;
  std::string type = env.type;
  bool undo = false;
  if (type == "Undo") {
    if (!env.object) return plan;
    auto inner = federation::as2::read_envelope(*env.object);
    if (!inner || inner->actor != env.actor || (inner->type != "Lock" && inner->type != "Block")) {
      return plan;
    }
    acted = env.object;
    type = inner->type;
    undo = true;
  }
  const auto object = federation::as2::member_id(*acted, "object").value_or("");
  if (object.empty()) return plan;
  auto group = find_group(c, type, *acted, object, plan);
  if (!group) return group.error();
  if (!*group) return plan;
  if (undo) {
    plan.action = plan.action == ModerationAction::lock ? ModerationAction::unlock
                                                        : ModerationAction::unblock;
  }
  auto actor = storage::actors::find_by_uri(c, env.actor);
  if (!actor) return actor.error();
  if (!*actor) return plan;
  if (type == "Delete") {
    // The author's own Delete is the ordinary one (on_delete.cpp).
    auto post = storage::posts::find_by_ap_id(c, object);
    if (!post) return post.error();
    if (*post && (*post)->author_id == (*actor)->id) return plan;
  }
  auto moderator = storage::groups::is_moderator(c, (*group)->id, (*actor)->id);
  if (!moderator) return moderator.error();
  // A Delete from someone else goes on to on_delete, which refuses it.
  if (!*moderator && type == "Delete") return plan;
  plan.ours = true;
  plan.allowed = *moderator;
  plan.group = std::move(**group);
  plan.object = object;
  plan.reason = federation::as2::member_id(*acted, "summary").value_or("");
  return plan;
}

// A plain function, not a lambda in the coroutine (GCC 12). The activity is the inbound
// document, alive until the dispatcher returns.
auto apply_job(Plan plan, std::string activity_id, const rapidjson::Value* activity,
               storage::Millis now) {
  return [plan = std::move(plan), activity_id = std::move(activity_id), activity,
          now](storage::Connection& c) -> Result<services::ModerationDone> {
    services::ModerationStep step{plan.action, plan.object, plan.reason, activity_id, activity};
    return services::apply_moderation(c, plan.group, step, now);
  };
}

}  // namespace

boost::asio::awaitable<Result<bool>> take_group_moderation(ActivityContext& ctx,
                                                           const Activity& activity) {
  const auto& env = activity.envelope;
  const auto& t = env.type;
  if (t != "Delete" && t != "Lock" && t != "Add" && t != "Remove" && t != "Block" && t != "Undo") {
    co_return false;
  }
  if (activity.unverified()) co_return false;
  auto planned = ctx.db.read([&](storage::Connection& c) { return plan_for(c, activity); });
  if (!planned) co_return Result<bool>(boost::system::in_place_error, planned.error());
  if (!planned->ours) co_return false;
  const char* action = services::action_name(planned->action);
  if (!planned->allowed) {
    ctx.log.info("{} {}: {} is no moderator of {}; {} refused", t, env.id, env.actor,
                 planned->group.uri, action);
    co_return true;
  }
  if (planned->action == ModerationAction::block) {
    // The blocked actor may never have written to us: store it first.
    auto blocked = co_await ctx.resolver.resolve(planned->object);
    if (!blocked) {
      ctx.log.info("{} {}: the blocked actor {} could not be resolved: {}", t, env.id,
                   planned->object, blocked.error().message());
      co_return true;
    }
  }
  const std::string group = planned->group.uri;
  const std::string object = planned->object;
  auto done = co_await federation::write(
      ctx.db, apply_job(std::move(*planned), env.id, &activity.json, ctx.clock()));
  if (!done) {
    ctx.log.info("{} {} in group {}: {} of {} failed: {}", t, env.id, group, action, object,
                 done.error().message());
    co_return true;
  }
  ctx.log.info("{} {} in group {}: {} of {} by moderator {} ({})", t, env.id, group, action, object,
               env.actor, done->changed ? "announced" : "nothing changed");
  if (done->queued > 0 && ctx.on_enqueued) ctx.on_enqueued();
  co_return true;
}

}  // namespace civicpub::server::inbound
