// A local account favourites or reblogs a post, and takes it back: the use case behind the client
// API's favourite/unfavourite/reblog/unreblog (INTEROP.md section 3). One write stores the
// reaction (the same `reactions` table inbound Likes and Announces fill), notifies a local author,
// and queues the activity:
//
// - Like `<actor>#likes/<hex>` to the author's inbox (remote authors only);
// - Announce `<actor>#announces/<hex>` (Public in `to`, the booster's followers and the author in
//   `cc`) to the booster's remote followers and the author's inbox; only public and unlisted
//   posts, or one's own;
// - Undo with the activity embedded, to the same inboxes.
// Doing it twice changes nothing and sends nothing.
#pragma once

#include "federation/clock.hpp"
#include "storage/database.hpp"
#include "storage/records.hpp"

#include <boost/asio/awaitable.hpp>

#include <random>

namespace civicpub::server::services {

class ReactionService {
 public:
  ReactionService(storage::Database& db, federation::Clock clock,
                  std::uint64_t seed = std::random_device{}())
      : db_(db), clock_(std::move(clock)), rng_(seed) {}

  // Returns whether something changed. The caller checked that `actor` may see `post`.
  // Errors: ServiceError::not_author (forbidden) for a reblog may_reblog refuses, storage errors.
  boost::asio::awaitable<Result<bool>> react(storage::ActorRecord actor, storage::PostRecord post,
                                             storage::ReactionKind kind);
  boost::asio::awaitable<Result<bool>> undo(storage::ActorRecord actor, storage::PostRecord post,
                                            storage::ReactionKind kind);

 private:
  storage::Database& db_;
  federation::Clock clock_;
  std::mt19937_64 rng_;
};

// Only public and unlisted posts, and one's own, may be reblogged (as on Mastodon).
bool may_reblog(const storage::ActorRecord& actor, const storage::PostRecord& post);

// Bookmarks are the account's own: stored or removed, nothing federated. Returns whether
// something changed.
boost::asio::awaitable<Result<bool>> set_bookmark(storage::Database& db, std::int64_t account_id,
                                                  std::int64_t post_id, bool bookmarked,
                                                  storage::Millis now);

}  // namespace civicpub::server::services
