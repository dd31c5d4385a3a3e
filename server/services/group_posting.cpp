#include "server/services/group_posting.hpp"

#include "federation/as2/activities.hpp"
#include "federation/as2/note.hpp"
#include "federation/delivery/outbox.hpp"
#include "server/views/post_urls.hpp"
#include "storage/actors.hpp"
#include "storage/follows.hpp"
#include "storage/group_moderation.hpp"

#include <algorithm>

namespace civicpub::server::services {
namespace {

constexpr std::string_view kPublic = "https://www.w3.org/ns/activitystreams#Public";

Result<bool> failed(boost::system::error_code ec) {
  return {boost::system::in_place_error, ec};
}

Result<bool> add_if_group(storage::Connection& conn, std::int64_t actor_id,
                          std::vector<storage::ActorRecord>& out) {
  if (std::any_of(out.begin(), out.end(), [&](const auto& g) { return g.id == actor_id; })) {
    return false;
  }
  auto settings = storage::groups::find(conn, actor_id);
  if (!settings) return failed(settings.error());
  if (!*settings) return false;
  auto actor = storage::actors::find_by_id(conn, actor_id);
  if (!actor) return failed(actor.error());
  if (!*actor || !(*actor)->local || (*actor)->deleted_at) return false;
  out.push_back(std::move(**actor));
  return true;
}

}  // namespace

Result<GroupVerdict> check_group_post(storage::Connection& conn,
                                      const storage::groups::GroupSettings& group,
                                      std::int64_t author_id, const std::string& thread_root) {
  const bool new_thread = thread_root.empty();
  auto blocked = storage::groups::is_blocked(conn, group.actor_id, author_id);
  if (!blocked) return blocked.error();
  if (*blocked) return GroupVerdict::blocked;
  auto moderator = storage::groups::is_moderator(conn, group.actor_id, author_id);
  if (!moderator) return moderator.error();
  if (*moderator) return GroupVerdict::accept;
  if (!new_thread) {
    auto marks = storage::groups::thread_marks(conn, group.actor_id, thread_root);
    if (!marks) return marks.error();
    if (marks->locked || marks->removed) return GroupVerdict::thread_locked;
  }
  if (new_thread && group.posting_restricted_to_mods) return GroupVerdict::moderators_only;
  if (!group.members_only) return GroupVerdict::accept;
  auto follow = storage::follows::find_by_pair(conn, author_id, group.actor_id);
  if (!follow) return follow.error();
  const bool member = *follow && (*follow)->state == storage::FollowState::accepted;
  return member ? GroupVerdict::accept : GroupVerdict::not_a_member;
}

Result<std::vector<storage::ActorRecord>> groups_of_post(storage::Connection& conn,
                                                         const std::vector<std::string>& addressed,
                                                         const std::string& thread_root,
                                                         const std::string& in_reply_to) {
  std::vector<storage::ActorRecord> out;
  for (const auto& uri : addressed) {
    if (out.size() >= kMaxGroupsPerPost) return out;
    if (uri == kPublic) continue;
    auto actor = storage::actors::find_by_uri(conn, uri);
    if (!actor) return actor.error();
    if (!*actor || !(*actor)->local || (*actor)->type != "Group") continue;
    if (auto added = add_if_group(conn, (*actor)->id, out); !added) return added.error();
  }
  if (out.size() >= kMaxGroupsPerPost) return out;
  std::optional<std::int64_t> thread_group;
  if (!thread_root.empty()) {
    auto found = storage::groups::group_of_thread(conn, thread_root);
    if (!found) return found.error();
    thread_group = *found;
  }
  if (!thread_group && !in_reply_to.empty()) {
    auto found = storage::groups::group_of_post(conn, in_reply_to);
    if (!found) return found.error();
    thread_group = *found;
  }
  if (thread_group) {
    if (auto added = add_if_group(conn, *thread_group, out); !added) return added.error();
  }
  return out;
}

Result<std::size_t> announce_in_group(storage::Connection& conn, const storage::ActorRecord& group,
                                      const GroupAnnouncement& a, storage::Millis now) {
  if (a.activity == nullptr) return std::size_t{0};
  const federation::as2::Addressing addressing{{std::string(kPublic)}, {group.followers}};
  storage::groups::GroupPost row;
  row.group_id = group.id;
  row.post_uri = a.post_uri;
  row.thread_root = a.thread_root.empty() ? a.post_uri : a.thread_root;
  row.activity_uri = a.activity_id;
  row.announce_uri = views::group_announce_id(group.uri, a.activity_id);
  row.announce_json = federation::as2::render_group_announce(row.announce_uri, group.uri,
                                                             *a.activity, addressing, now);
  row.created_at = now;
  auto added = storage::groups::add_post(conn, row);
  if (!added) return added.error();
  if (!*added) return std::size_t{0};  // announced before: the deliveries were queued then
  auto inboxes = storage::follows::follower_inboxes(conn, group.id);
  if (!inboxes) return inboxes.error();
  auto queued = federation::enqueue_activity(conn, row.announce_uri, group.id, row.announce_json,
                                             *inboxes, now);
  if (!queued || !a.new_thread) return queued;
  const auto object_id = views::group_object_announce_id(group.uri, a.activity_id);
  const auto body =
      federation::as2::render_announce_object(object_id, group.uri, a.post_uri, addressing, now);
  auto more = federation::enqueue_activity(conn, object_id, group.id, body, *inboxes, now);
  if (!more) return more.error();
  return *queued + *more;
}

Result<std::size_t> reject_group_post(storage::Connection& conn, const storage::ActorRecord& group,
                                      const storage::ActorRecord& author,
                                      const std::string& activity_id, storage::Millis now) {
  if (author.local) return std::size_t{0};  // the CLI told a local author already
  const auto id = views::group_announce_id(group.uri, activity_id) + "/reject";
  const auto body = federation::as2::render_reject_activity(id, group.uri, activity_id, author.uri);
  const std::string& inbox = author.inbox.empty() ? author.shared_inbox : author.inbox;
  return federation::enqueue_activity(conn, id, group.id, body, {inbox}, now);
}

}  // namespace civicpub::server::services
