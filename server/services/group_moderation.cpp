#include "server/services/group_moderation.hpp"

#include "federation/as2/activities.hpp"
#include "federation/as2/reader.hpp"
#include "federation/delivery/outbox.hpp"
#include "server/services/service_error.hpp"
#include "server/views/post_urls.hpp"
#include "storage/actors.hpp"
#include "storage/follows.hpp"
#include "storage/group_moderation.hpp"
#include "storage/groups.hpp"

namespace civicpub::server::services {
namespace {

constexpr std::string_view kPublic = "https://www.w3.org/ns/activitystreams#Public";

federation::as2::Addressing members_addressing(const storage::ActorRecord& group) {
  return {{std::string(kPublic)}, {group.followers}};
}

// The group's thread whose top post is `uri` (lock, feature): not_in_group, not_a_thread.
Result<storage::groups::GroupPost> group_thread(storage::Connection& conn, std::int64_t group_id,
                                                const std::string& uri) {
  auto post = storage::groups::find_post(conn, group_id, uri);
  if (!post) return post.error();
  if (!*post) return ServiceError::not_in_group;
  if ((*post)->thread_root != (*post)->post_uri) return ServiceError::not_a_thread;
  return std::move(**post);
}

Result<ModerationDone> remove(storage::Connection& conn, const storage::ActorRecord& group,
                              const std::string& uri, storage::Millis now,
                              std::optional<storage::groups::GroupPost>& root) {
  auto post = storage::groups::find_post(conn, group.id, uri);
  if (!post) return post.error();
  if (!*post) return ServiceError::not_in_group;
  ModerationDone done;
  auto removed = storage::groups::remove_posts(conn, group.id, uri, now);
  if (!removed) return removed.error();
  done.posts = *removed;
  done.changed = *removed > 0;
  if (!done.changed) return done;
  auto dropped = storage::groups::drop_post_or_thread(conn, uri, now);
  if (!dropped) return dropped.error();
  if ((*post)->thread_root == (*post)->post_uri) root = std::move(**post);
  return done;
}

Result<ModerationDone> mark(storage::Connection& conn, const storage::ActorRecord& group,
                            const ModerationStep& step, storage::Millis now) {
  auto thread = group_thread(conn, group.id, step.object);
  if (!thread) return thread.error();
  const bool lock =
      step.action == ModerationAction::lock || step.action == ModerationAction::unlock;
  const bool on = step.action == ModerationAction::lock || step.action == ModerationAction::feature;
  auto changed = lock ? storage::groups::set_locked(conn, group.id, step.object, on, now)
                      : storage::groups::set_featured(conn, group.id, step.object, on, now);
  if (!changed) return changed.error();
  return ModerationDone{*changed, 0, 0};
}

Result<ModerationDone> block(storage::Connection& conn, const storage::ActorRecord& group,
                             const ModerationStep& step, storage::Millis now) {
  auto actor = storage::actors::find_by_uri(conn, step.object);
  if (!actor) return actor.error();
  if (!*actor || (*actor)->id == group.id) return ServiceError::unknown_actor;
  auto changed = step.action == ModerationAction::block
                     ? storage::groups::block(conn, group.id, (*actor)->id, step.reason, now)
                     : storage::groups::unblock(conn, group.id, (*actor)->id);
  if (!changed) return changed.error();
  return ModerationDone{*changed, 0, 0};
}

// Mastodon showed the thread's top post as the group's boost: Undo of that Announce.
Result<std::size_t> undo_object_announce(storage::Connection& conn,
                                         const storage::ActorRecord& group,
                                         const storage::groups::GroupPost& root,
                                         const std::vector<std::string>& inboxes,
                                         storage::Millis now) {
  const auto id = views::group_object_announce_id(group.uri, root.activity_uri);
  const auto announce = federation::as2::render_announce_object(
      id, group.uri, root.post_uri, members_addressing(group), root.created_at);
  auto parsed = federation::as2::parse_json(announce);
  if (!parsed) return parsed.error();
  const auto undo_id = id + "/undo";
  const auto body = federation::as2::render_undo(undo_id, group.uri, *parsed);
  return federation::enqueue_activity(conn, undo_id, group.id, body, inboxes, now);
}

}  // namespace

const char* action_name(ModerationAction action) {
  switch (action) {
    case ModerationAction::remove: return "remove";
    case ModerationAction::lock: return "lock";
    case ModerationAction::unlock: return "unlock";
    case ModerationAction::feature: return "feature";
    case ModerationAction::unfeature: return "unfeature";
    case ModerationAction::block: return "block";
    case ModerationAction::unblock: return "unblock";
  }
  return "?";
}

Result<ModerationDone> apply_moderation(storage::Connection& conn,
                                        const storage::ActorRecord& group,
                                        const ModerationStep& step, storage::Millis now) {
  std::optional<storage::groups::GroupPost> root;
  Result<ModerationDone> done = ModerationDone{};
  switch (step.action) {
    case ModerationAction::remove: done = remove(conn, group, step.object, now, root); break;
    case ModerationAction::lock:
    case ModerationAction::unlock:
    case ModerationAction::feature:
    case ModerationAction::unfeature: done = mark(conn, group, step, now); break;
    case ModerationAction::block:
    case ModerationAction::unblock: done = block(conn, group, step, now); break;
  }
  if (!done || !done->changed || step.activity == nullptr) return done;
  auto inboxes = storage::follows::follower_inboxes(conn, group.id);
  if (!inboxes) return inboxes.error();
  const auto id = views::group_announce_id(group.uri, step.activity_id);
  const auto body = federation::as2::render_group_announce(id, group.uri, *step.activity,
                                                           members_addressing(group), now);
  auto queued = federation::enqueue_activity(conn, id, group.id, body, *inboxes, now);
  if (!queued) return queued.error();
  done->queued = *queued;
  if (root) {
    auto undone = undo_object_announce(conn, group, *root, *inboxes, now);
    if (!undone) return undone.error();
    done->queued += *undone;
  }
  return done;
}

}  // namespace civicpub::server::services
