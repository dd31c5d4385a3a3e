#include "server/services/group_changes.hpp"

#include "federation/as2/activities.hpp"
#include "federation/delivery/outbox.hpp"
#include "server/views/post_urls.hpp"
#include "storage/actors.hpp"
#include "storage/follows.hpp"
#include "storage/group_moderation.hpp"
#include "storage/groups.hpp"

namespace civicpub::server::services {

Result<std::size_t> announce_change_in_group(storage::Connection& conn, std::string_view post_uri,
                                             const std::string& activity_id,
                                             const rapidjson::Value& activity,
                                             storage::Millis now) {
  auto group_id = storage::groups::group_of_post(conn, post_uri);
  if (!group_id) return group_id.error();
  if (!*group_id) return std::size_t{0};
  auto group = storage::actors::find_by_id(conn, **group_id);
  if (!group) return group.error();
  if (!*group || !(*group)->local || (*group)->deleted_at) return std::size_t{0};
  auto marks = storage::groups::thread_marks(conn, **group_id, post_uri);
  if (!marks) return marks.error();
  if (marks->removed) return std::size_t{0};
  const federation::as2::Addressing addressing{{"https://www.w3.org/ns/activitystreams#Public"},
                                               {(*group)->followers}};
  const auto id = views::group_announce_id((*group)->uri, activity_id);
  const auto body =
      federation::as2::render_group_announce(id, (*group)->uri, activity, addressing, now);
  auto inboxes = storage::follows::follower_inboxes(conn, (*group)->id);
  if (!inboxes) return inboxes.error();
  return federation::enqueue_activity(conn, id, (*group)->id, body, *inboxes, now);
}

}  // namespace civicpub::server::services
