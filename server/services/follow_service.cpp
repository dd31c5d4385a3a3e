#include "server/services/follow_service.hpp"

#include "federation/as2/activities.hpp"
#include "federation/as2/reader.hpp"
#include "federation/delivery/outbox.hpp"
#include "server/services/notifications.hpp"
#include "server/services/service_error.hpp"
#include "federation/storage_async.hpp"
#include "storage/deliveries.hpp"
#include "storage/follow_notify.hpp"
#include "storage/follows.hpp"

#include <cstdio>

namespace civicpub::server::services {

namespace {

// Write jobs are built by plain functions, never as lambdas inside a coroutine body: GCC 12
// destroys a coroutine-local lambda's by-value captures twice.

// Stores the follow and, when `body` is set (a remote target), queues it for `inbox`.
auto follow_job(storage::FollowRecord row, std::string body, std::string inbox,
                storage::Millis now) {
  return [row = std::move(row), body = std::move(body), inbox = std::move(inbox),
          now](storage::Connection& conn) -> Result<std::int64_t> {
    auto stored = storage::follows::upsert(conn, row);
    if (!stored) return stored;
    if (body.empty()) {  // a local target is told at once
      auto told = notify(conn, row.target_id,
                         row.state == storage::FollowState::accepted
                             ? NotificationType::follow
                             : NotificationType::follow_request,
                         row.follower_id, std::nullopt, now);
      if (!told) return told.error();
      return stored;
    }
    auto queued = federation::enqueue_activity(conn, row.activity_uri, row.follower_id, body, {inbox}, now);
    if (!queued) return queued.error();
    return stored;
  };
}

// Removes the follow and, when `body` is set, queues the Undo for `inbox`.
auto unfollow_job(std::int64_t follower_id, std::int64_t target_id, std::string inbox,
                  std::string body, std::string activity_id, storage::Millis now) {
  return [=](storage::Connection& conn) -> Result<bool> {
    auto gone = storage::follows::remove(conn, follower_id, target_id);
    if (!gone || body.empty()) return gone;
    auto queued = federation::enqueue_activity(conn, activity_id, follower_id, body, {inbox}, now);
    if (!queued) return Result<bool>(boost::system::in_place_error, queued.error());
    return gone;
  };
}

auto notify_job(std::int64_t follower_id, std::int64_t target_id, bool notify) {
  return [follower_id, target_id, notify](storage::Connection& conn) {
    return storage::follow_notify::set(conn, follower_id, target_id, notify);
  };
}

}  // namespace

boost::asio::awaitable<Result<bool>> set_follow_notify(storage::Database& db,
                                                       std::int64_t follower_id,
                                                       std::int64_t target_id, bool notify) {
  auto job = notify_job(follower_id, target_id, notify);
  auto done = co_await federation::write(db, std::move(job));
  co_return done;
}

std::string FollowService::new_follow_id(const storage::ActorRecord& follower) {
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(rng_()));
  return follower.uri + "#follows/" + hex;
}

boost::asio::awaitable<Result<FollowOutcome>> FollowService::follow(std::string local_username,
                                                                    std::string handle_or_url) {
  auto follower = lookup_.local_account(local_username);
  if (!follower) co_return follower.error();
  auto target = co_await lookup_.resolve(std::move(handle_or_url));
  if (!target) co_return target.error();
  if (target->id == follower->id) co_return ServiceError::follow_self;

  FollowOutcome outcome{*follower, *target, {}, {}, false};
  auto existing = db_.read([&](storage::Connection& conn) {
    return storage::follows::find_by_pair(conn, follower->id, target->id);
  });
  if (!existing) co_return existing.error();
  if (*existing && (*existing)->state == storage::FollowState::accepted) {
    outcome.follow = **existing;
    outcome.already = true;
    co_return outcome;
  }

  const auto now = clock_();
  storage::FollowRecord& row = outcome.follow;
  row.follower_id = follower->id;
  row.target_id = target->id;
  row.created_at = row.updated_at = now;
  row.activity_uri = new_follow_id(*follower);
  if (target->local) {
    row.state = target->manually_approves_followers ? storage::FollowState::pending
                                                    : storage::FollowState::accepted;
  } else {
    row.state = storage::FollowState::pending;
    outcome.activity_id = row.activity_uri;
  }
  const std::string body = target->local
                               ? std::string()
                               : federation::as2::render_follow(row.activity_uri, follower->uri, target->uri);
  auto id = co_await federation::write(db_, follow_job(row, body, target->inbox, now));
  if (!id) co_return id.error();
  row.id = *id;
  co_return outcome;
}

boost::asio::awaitable<Result<FollowOutcome>> FollowService::unfollow(std::string local_username,
                                                                      std::string handle_or_url) {
  auto follower = lookup_.local_account(local_username);
  if (!follower) co_return follower.error();
  auto target = co_await lookup_.resolve(std::move(handle_or_url));
  if (!target) co_return target.error();
  auto existing = db_.read([&](storage::Connection& conn) {
    return storage::follows::find_by_pair(conn, follower->id, target->id);
  });
  if (!existing) co_return existing.error();
  if (!*existing) co_return ServiceError::not_following;

  FollowOutcome outcome{*follower, *target, **existing, {}, false};
  std::string body;
  if (!target->local) {
    // The Follow as we sent it, re-rendered from the stored id: peers match Undo on the embedded
    // id or on (actor, object) (INTEROP.md section 3).
    const auto follow_json =
        federation::as2::render_follow(outcome.follow.activity_uri, follower->uri, target->uri);
    auto follow_doc = federation::as2::parse_json(follow_json);
    if (!follow_doc) co_return follow_doc.error();
    outcome.activity_id = outcome.follow.activity_uri + "/undo";
    body = federation::as2::render_undo(outcome.activity_id, follower->uri, *follow_doc);
  }
  const auto now = clock_();
  auto removed = co_await federation::write(
      db_, unfollow_job(follower->id, target->id, target->inbox, body, outcome.activity_id, now));
  if (!removed) co_return removed.error();
  co_return outcome;
}

}  // namespace civicpub::server::services
