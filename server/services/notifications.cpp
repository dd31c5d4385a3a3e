#include "server/services/notifications.hpp"

#include "federation/storage_async.hpp"
#include "storage/actors.hpp"
#include "storage/errors.hpp"
#include "storage/follow_notify.hpp"
#include "storage/post_details.hpp"
#include "storage/posts.hpp"
#include "storage/reaction_lists.hpp"

#include <array>
#include <set>

namespace civicpub::server::services {
namespace {

constexpr std::array<std::string_view, 7> kNames = {
    "mention", "status", "reblog", "follow", "follow_request", "favourite", "update"};

Result<bool> failed(const boost::system::error_code& ec) {
  return Result<bool>(boost::system::in_place_error, ec);
}

// Plain functions, not lambdas in the coroutines (GCC 12 destroys their captures twice).
auto dismiss_job(std::int64_t account_id, std::int64_t id) {
  return [account_id, id](storage::Connection& conn) -> Result<void> {
    auto gone = storage::notifications::dismiss(conn, account_id, id);
    if (!gone) return gone.error();
    if (!*gone) return make_error_code(storage::Errc::not_found);
    return {};
  };
}

auto clear_job(std::int64_t account_id) {
  return [account_id](storage::Connection& conn) {
    return storage::notifications::clear(conn, account_id);
  };
}

}  // namespace

namespace {

// `status` for the local accounts that follow the author with "notify me" (Mastodon tells them
// of the posts that reach their home timeline: not direct ones, not replies to others), unless
// the post mentions them already (`mentioned`).
Result<void> notify_subscribers(storage::Connection& conn, const storage::PostRecord& post,
                                const std::set<std::int64_t>& mentioned, storage::Millis now) {
  if (post.visibility == storage::Visibility::direct) return {};
  if (!post.in_reply_to.empty()) {
    auto parent = storage::posts::find_by_ap_id(conn, post.in_reply_to);
    if (!parent) return parent.error();
    if (!*parent || (*parent)->author_id != post.author_id) return {};
  }
  auto subscribers = storage::follow_notify::local_subscribers(conn, post.author_id);
  if (!subscribers) return subscribers.error();
  for (const auto id : *subscribers) {
    if (mentioned.count(id) != 0) continue;
    auto done = notify(conn, id, NotificationType::status, post.author_id, post.id, now);
    if (!done) return done.error();
  }
  return {};
}

}  // namespace

std::string_view to_string(NotificationType type) noexcept {
  return kNames[static_cast<std::size_t>(type)];
}

bool is_notification_type(std::string_view name) noexcept {
  for (auto n : kNames) {
    if (n == name) return true;
  }
  return false;
}

Result<bool> notify(storage::Connection& conn, std::int64_t account_id, NotificationType type,
                    std::int64_t from_id, std::optional<std::int64_t> post_id,
                    storage::Millis now) {
  if (account_id == from_id) return false;
  auto account = storage::actors::find_by_id(conn, account_id);
  if (!account) return failed(account.error());
  if (!*account || !(*account)->local || (*account)->deleted_at) return false;
  storage::NotificationRecord record;
  record.account_id = account_id;
  record.type = std::string(to_string(type));
  record.from_account_id = from_id;
  record.post_id = post_id;
  record.created_at = now;
  auto added = storage::notifications::add(conn, record);
  if (!added) return failed(added.error());
  if (!*added) return false;
  return true;
}

Result<void> notify_post_created(storage::Connection& conn, const storage::PostRecord& post,
                                 storage::Millis now) {
  std::set<std::int64_t> told;
  auto mentions = storage::post_details::mentions(conn, post.id);
  if (!mentions) return mentions.error();
  for (const auto& m : *mentions) {
    auto actor = storage::actors::find_by_uri(conn, m.actor_uri);
    if (!actor) return actor.error();
    if (*actor && (*actor)->local) told.insert((*actor)->id);
  }
  if (!post.in_reply_to.empty()) {
    auto parent = storage::posts::find_by_ap_id(conn, post.in_reply_to);
    if (!parent) return parent.error();
    if (*parent && (*parent)->local) told.insert((*parent)->author_id);
  }
  for (const auto id : told) {
    auto done = notify(conn, id, NotificationType::mention, post.author_id, post.id, now);
    if (!done) return done.error();
  }
  return notify_subscribers(conn, post, told, now);
}

Result<void> notify_post_updated(storage::Connection& conn, const storage::PostRecord& post,
                                 storage::Millis now) {
  // Mastodon's documentation: "a status you interacted with has been edited"; its fan-out tells
  // those who reblogged it, and favouriting is interacting too (issue 13).
  std::set<std::int64_t> told;
  for (const auto kind : {storage::ReactionKind::announce, storage::ReactionKind::like}) {
    auto reacted = storage::reactions::local_actors(conn, post.id, kind);
    if (!reacted) return reacted.error();
    told.insert(reacted->begin(), reacted->end());
  }
  for (const auto id : told) {
    auto done = notify(conn, id, NotificationType::update, post.author_id, post.id, now);
    if (!done) return done.error();
  }
  return {};
}

boost::asio::awaitable<Result<void>> dismiss_notification(storage::Database& db,
                                                          std::int64_t account_id,
                                                          std::int64_t id) {
  auto job = dismiss_job(account_id, id);
  auto done = co_await federation::write(db, std::move(job));
  co_return done;
}

boost::asio::awaitable<Result<void>> clear_notifications(storage::Database& db,
                                                         std::int64_t account_id) {
  auto job = clear_job(account_id);
  auto done = co_await federation::write(db, std::move(job));
  co_return done;
}

}  // namespace civicpub::server::services
