// A local account follows or unfollows another account (INTEROP.md section 3). The service writes
// the follows row and queues the activity in one transaction; the server's delivery worker sends
// it. Used by `civicpub follow` / `unfollow` now and by the client API later.
//
// - Remote target: row `pending` with a fresh Follow id `<follower>#follows/<random hex>`, Follow
//   queued to the target's personal inbox (Mastodon expects Follows there). The inbox's handling
//   of Accept/Reject moves the row on.
// - Local target: no federation; the row is `accepted` at once (or `pending` when the target
//   approves followers manually, to be decided in the client API).
// - Unfollow: the row is removed and, for a remote target, Undo{Follow} (the Follow embedded with
//   the id we sent, so peers can match it on id or on actor+object) is queued.
#pragma once

#include "federation/clock.hpp"
#include "server/services/account_lookup.hpp"
#include "storage/database.hpp"
#include "storage/records.hpp"

#include <boost/asio/awaitable.hpp>

#include <random>
#include <string>

namespace civicpub::server::services {

struct FollowOutcome {
  storage::ActorRecord follower;
  storage::ActorRecord target;
  storage::FollowRecord follow;  // as stored (follow) or as it was (unfollow)
  std::string activity_id;       // the Follow or Undo queued; empty for a local target
  bool already = false;          // follow: an accepted follow existed, nothing was sent
};

class FollowService {
 public:
  FollowService(storage::Database& db, AccountLookup& lookup, federation::Clock clock,
                std::uint64_t seed = std::random_device{}())
      : db_(db), lookup_(lookup), clock_(std::move(clock)), rng_(seed) {}

  // Errors: ServiceError (unknown_account, account_deleted, follow_self), lookup errors.
  boost::asio::awaitable<Result<FollowOutcome>> follow(std::string local_username,
                                                       std::string handle_or_url);
  // Errors: as follow, plus ServiceError::not_following.
  boost::asio::awaitable<Result<FollowOutcome>> unfollow(std::string local_username,
                                                         std::string handle_or_url);

 private:
  std::string new_follow_id(const storage::ActorRecord& follower);

  storage::Database& db_;
  AccountLookup& lookup_;
  federation::Clock clock_;
  std::mt19937_64 rng_;
};

// Mastodon's `notify` of a follow: tell `follower_id` of `target_id`'s posts (status
// notifications). False when there is no follow (pending or accepted) to set it on.
boost::asio::awaitable<Result<bool>> set_follow_notify(storage::Database& db,
                                                       std::int64_t follower_id,
                                                       std::int64_t target_id, bool notify);

}  // namespace civicpub::server::services
