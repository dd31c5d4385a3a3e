#include "server/services/post_writes.hpp"

#include "federation/as2/reader.hpp"
#include "federation/delivery/outbox.hpp"
#include "federation/keys/assertion_key.hpp"
#include "server/services/group_changes.hpp"
#include "server/services/group_posting.hpp"
#include "server/services/notifications.hpp"
#include "server/services/post_audience.hpp"
#include "server/services/service_error.hpp"
#include "storage/actors.hpp"
#include "storage/groups.hpp"
#include "storage/polls.hpp"
#include "storage/post_details.hpp"
#include "storage/posts.hpp"
#include "storage/tombstones.hpp"

namespace civicpub::server::services {

namespace {

Result<void> store_details(storage::Connection& conn, std::int64_t post_id,
                           const views::NoteDetails& details) {
  if (auto r = storage::post_details::replace_mentions(conn, post_id, details.mentions); !r) {
    return r;
  }
  return storage::post_details::replace_hashtags(conn, post_id, details.hashtags);
}

}  // namespace

StoreStep insert_post(storage::PostRecord post, views::NoteDetails details,
                      std::optional<PollSpec> poll, std::int64_t& id_out) {
  return [post = std::move(post), details = std::move(details), poll = std::move(poll),
          &id_out](storage::Connection& conn) -> Result<void> {
    auto id = storage::posts::insert(conn, post);
    if (!id) return id.error();
    id_out = *id;
    if (auto stored = store_details(conn, *id, details); !stored) return stored;
    storage::PostRecord stored_post = post;
    stored_post.id = *id;
    if (auto told = notify_post_created(conn, stored_post, post.published); !told) return told;
    if (!poll) return {};
    storage::PollRecord record;
    record.post_id = *id;
    record.multiple = poll->multiple;
    record.closes_at = poll->closes_at;
    return storage::polls::insert(conn, record, poll->options, poll->eligible_domains);
  };
}

StoreStep update_post(storage::PostRecord post, views::NoteDetails details, storage::Millis now) {
  return [post = std::move(post), details = std::move(details),
          now](storage::Connection& conn) -> Result<void> {
    if (auto updated = storage::posts::update_content(conn, post, now); !updated) return updated;
    if (auto stored = store_details(conn, post.id, details); !stored) return stored;
    return notify_post_updated(conn, post, now);
  };
}

StoreStep delete_post(std::int64_t id, std::string uri, storage::Millis now) {
  return [id, uri = std::move(uri), now](storage::Connection& conn) -> Result<void> {
    if (auto marked = storage::posts::mark_deleted(conn, id, now); !marked) return marked;
    return storage::tombstones::add(conn, uri, now);
  };
}

QueueJob store_and_queue(StoreStep store, QueuedActivity a) {
  return [store = std::move(store), a = std::move(a)](storage::Connection& conn) -> Result<std::size_t> {
    if (auto stored = store(conn); !stored) return stored.error();
    auto inboxes = audience_inboxes(conn, a.author_id, a.visibility, a.mentioned);
    if (!inboxes) return inboxes.error();
    return federation::enqueue_activity(conn, a.activity_id, a.author_id, a.body, *inboxes, a.now);
  };
}

QueueJob store_queue_and_announce(StoreStep store, QueuedActivity a, storage::ActorRecord group,
                                  storage::PostRecord post) {
  return [store = std::move(store), a = std::move(a), group = std::move(group),
          post = std::move(post)](storage::Connection& conn) -> Result<std::size_t> {
    if (auto stored = store(conn); !stored) return stored.error();
    auto proofed = federation::add_activity_proof(conn, a.author_id, a.body, a.now);
    if (!proofed) return proofed.error();
    auto inboxes = audience_inboxes(conn, a.author_id, a.visibility, a.mentioned);
    if (!inboxes) return inboxes.error();
    auto queued =
        federation::enqueue_activity(conn, a.activity_id, a.author_id, *proofed, *inboxes, a.now);
    if (!queued) return queued.error();
    auto activity = federation::as2::parse_json(*proofed);
    if (!activity) return activity.error();
    GroupAnnouncement announcement;
    announcement.activity_id = a.activity_id;
    announcement.activity = &*activity;
    announcement.post_uri = post.ap_id;
    announcement.thread_root = post.thread_root;
    announcement.new_thread = post.in_reply_to.empty();
    auto announced = announce_in_group(conn, group, announcement, a.now);
    if (!announced) return announced.error();
    return *queued + *announced;
  };
}

QueueJob store_queue_and_pass_to_group(StoreStep store, QueuedActivity a, std::string post_uri) {
  return [store = std::move(store), a = std::move(a),
          post_uri = std::move(post_uri)](storage::Connection& conn) -> Result<std::size_t> {
    if (auto stored = store(conn); !stored) return stored.error();
    auto proofed = federation::add_activity_proof(conn, a.author_id, a.body, a.now);
    if (!proofed) return proofed.error();
    auto inboxes = audience_inboxes(conn, a.author_id, a.visibility, a.mentioned);
    if (!inboxes) return inboxes.error();
    auto queued =
        federation::enqueue_activity(conn, a.activity_id, a.author_id, *proofed, *inboxes, a.now);
    if (!queued) return queued.error();
    auto activity = federation::as2::parse_json(*proofed);
    if (!activity) return activity.error();
    auto announced = announce_change_in_group(conn, post_uri, a.activity_id, *activity, a.now);
    if (!announced) return announced.error();
    return *queued + *announced;
  };
}

Result<std::optional<storage::ActorRecord>> group_for_post(
    storage::Connection& conn, const std::optional<std::string>& group_name,
    std::int64_t author_id, const std::string* parent_thread_root, const std::string* parent_id) {
  std::optional<storage::ActorRecord> group;
  if (group_name) {
    auto actor = storage::actors::find_local_by_username(conn, *group_name);
    if (!actor) return actor.error();
    if (!*actor || (*actor)->deleted_at || (*actor)->type != "Group") {
      return ServiceError::unknown_group;
    }
    group = std::move(**actor);
  } else if (parent_thread_root && parent_id) {
    auto found = groups_of_post(conn, {}, *parent_thread_root, *parent_id);
    if (!found) return found.error();
    if (!found->empty()) group = std::move(found->front());
  }
  if (!group) return group;
  auto settings = storage::groups::find(conn, group->id);
  if (!settings) return settings.error();
  if (!*settings) return ServiceError::unknown_group;
  const std::string thread = parent_id && parent_thread_root ? *parent_thread_root : std::string();
  auto verdict = check_group_post(conn, **settings, author_id, thread);
  if (!verdict) return verdict.error();
  if (*verdict == GroupVerdict::not_a_member) return ServiceError::not_a_member;
  if (*verdict == GroupVerdict::moderators_only) return ServiceError::moderators_only;
  if (*verdict == GroupVerdict::blocked) return ServiceError::blocked_from_group;
  if (*verdict == GroupVerdict::thread_locked) return ServiceError::thread_locked;
  return group;
}

}  // namespace civicpub::server::services
