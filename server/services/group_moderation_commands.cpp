// moderate(): `civicpub group remove|lock|unlock|feature|unfeature|block|unblock`
// (group_moderation.hpp).
#include "server/services/group_moderation.hpp"

#include "federation/as2/moderation.hpp"
#include "federation/as2/reader.hpp"
#include "federation/clock.hpp"
#include "federation/delivery/outbox.hpp"
#include "federation/keys/assertion_key.hpp"
#include "server/services/groups.hpp"
#include "server/services/service_error.hpp"
#include "server/views/post_urls.hpp"
#include "storage/actor_handles.hpp"
#include "storage/actors.hpp"
#include "storage/groups.hpp"

namespace civicpub::server::services {
namespace {

// An actor id, @user@domain (local or remote, stored here) or a local username.
Result<std::optional<storage::ActorRecord>> find_actor(storage::Connection& conn,
                                                       const AccountSettings& settings,
                                                       const std::string& who) {
  if (who.find("://") != std::string::npos) return storage::actors::find_by_uri(conn, who);
  std::string name = who.starts_with('@') ? who.substr(1) : who;
  const auto at = name.find('@');
  if (at == std::string::npos || name.substr(at + 1) == settings.handle_domain) {
    return storage::actors::find_local_by_username(conn, name.substr(0, at));
  }
  return storage::actors::find_by_handle(conn, name.substr(0, at), name.substr(at + 1));
}

// Who acts: `as` (a local moderator), else the first local moderator, else the group.
Result<storage::ActorRecord> acting_moderator(storage::Connection& conn,
                                              const AccountSettings& settings,
                                              const storage::ActorRecord& group,
                                              const std::string& as) {
  if (!as.empty()) {
    auto who = find_actor(conn, settings, as);
    if (!who) return who.error();
    if (!*who || !(*who)->local) return ServiceError::unknown_moderator;
    auto mod = storage::groups::is_moderator(conn, group.id, (*who)->id);
    if (!mod) return mod.error();
    if (!*mod) return ServiceError::unknown_moderator;
    return std::move(**who);
  }
  auto mods = storage::groups::moderators(conn, group.id);
  if (!mods) return mods.error();
  for (auto& m : *mods) {
    if (m.local) return std::move(m);
  }
  return group;
}

// The moderator's activity for `request`, Lemmy's shapes (federation/as2/moderation.hpp).
std::string render_action(const ModerationRequest& request, const storage::ActorRecord& group,
                          const std::string& actor, const std::string& object,
                          const std::string& id) {
  using federation::as2::ModerationView;
  ModerationView view{id, "", actor, object, "", group.uri, request.reason};
  switch (request.action) {
    case ModerationAction::remove: view.type = "Delete"; break;
    case ModerationAction::lock:
    case ModerationAction::unlock: view.type = "Lock"; break;
    case ModerationAction::feature:
    case ModerationAction::unfeature:
      view.type = request.action == ModerationAction::feature ? "Add" : "Remove";
      view.target = views::group_featured_url(group.uri);
      view.summary.clear();
      break;
    case ModerationAction::block:
    case ModerationAction::unblock:
      view.type = "Block";
      view.target = group.uri;
      break;
  }
  if (request.action != ModerationAction::unlock && request.action != ModerationAction::unblock) {
    return federation::as2::render_moderation(view);
  }
  view.id = id + "/undone";
  auto undone = federation::as2::parse_json(federation::as2::render_moderation(view));
  if (!undone) return {};
  return federation::as2::render_undo_moderation(id, actor, group.uri, *undone);
}

Result<ModerationOutcome> moderate_in(storage::Connection& conn, const AccountSettings& settings,
                                      const ModerationRequest& request, storage::Millis now) {
  auto group = find_live_group(conn, request.group);
  if (!group) return group.error();
  auto moderator = acting_moderator(conn, settings, *group, request.as);
  if (!moderator) return moderator.error();
  std::string object = request.target;
  std::optional<storage::ActorRecord> blocked;
  if (request.action == ModerationAction::block || request.action == ModerationAction::unblock) {
    auto who = find_actor(conn, settings, request.target);
    if (!who) return who.error();
    if (!*who) return ServiceError::unknown_actor;
    blocked = std::move(**who);
    object = blocked->uri;
  }
  ModerationOutcome out;
  out.activity_id =
      group->uri + "/moderation/" + action_name(request.action) + "/" + std::to_string(now);
  const auto body = render_action(request, *group, moderator->uri, object, out.activity_id);
  auto proofed = federation::add_activity_proof(conn, moderator->id, body, now);
  if (!proofed) return proofed.error();
  auto activity = federation::as2::parse_json(*proofed);
  if (!activity) return activity.error();
  ModerationStep step{request.action, object, request.reason, out.activity_id, &*activity};
  auto done = apply_moderation(conn, *group, step, now);
  if (!done) return done.error();
  // The blocked actor hears of it too (Lemmy sends its Block to the person's server).
  if (blocked && !blocked->local && done->changed) {
    const std::string& inbox = blocked->inbox.empty() ? blocked->shared_inbox : blocked->inbox;
    auto sent =
        federation::enqueue_activity(conn, out.activity_id, moderator->id, *proofed, {inbox}, now);
    if (!sent) return sent.error();
    done->queued += *sent;
  }
  out.group = std::move(*group);
  out.moderator = std::move(*moderator);
  out.done = *done;
  return out;
}

}  // namespace

Result<ModerationOutcome> moderate(storage::Database& db, const AccountSettings& settings,
                                   const ModerationRequest& request) {
  const storage::Millis now = request.now.value_or(federation::system_now_millis());
  return db.write_sync(
      [&](storage::Connection& conn) { return moderate_in(conn, settings, request, now); });
}

}  // namespace civicpub::server::services
