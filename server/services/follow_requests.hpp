// Answering Follow requests to local accounts: the Accept or Reject is rendered and queued for
// delivery in the caller's federation::write transaction, so the follow state and the answer commit together.
// Service functions for the CLI and the client API (approve / reject a pending follower), also
// used by the Follow handler for auto-accept.
#pragma once

#include "storage/connection.hpp"
#include "storage/database.hpp"

#include <boost/asio/awaitable.hpp>
#include "storage/records.hpp"

#include <rapidjson/document.h>

#include <string>
#include <string_view>

namespace civicpub::server::services {

// The id of our Accept/Reject answering `follow_id`: derived from it, so answering the same
// Follow twice queues nothing new (deliveries are unique per activity and inbox).
std::string follow_answer_id(std::string_view local_actor_uri, std::string_view kind,
                             std::string_view follow_id);

// Queues Accept{follow} (or Reject) from `local` to `follower`'s inbox. `follow` is embedded
// verbatim. Returns how many delivery rows were added (0 when already queued).
Result<std::size_t> enqueue_follow_answer(storage::Connection& conn,
                                          const storage::ActorRecord& local,
                                          const storage::ActorRecord& follower,
                                          const rapidjson::Value& follow, bool accept,
                                          storage::Millis now);

// Approves the pending follow of `follower_id` to local account `target_id` and queues the
// Accept. Returns false when it was already accepted (nothing queued). storage::Errc::not_found
// when there is no such follow or the target is not local. Run inside a federation::write job; call the
// delivery worker's notify after the commit.
Result<bool> approve_follow(storage::Connection& conn, std::int64_t follower_id,
                            std::int64_t target_id, storage::Millis now);

// Removes the follow and queues a Reject. Same errors as approve_follow.
Result<void> reject_follow(storage::Connection& conn, std::int64_t follower_id,
                           std::int64_t target_id, storage::Millis now);

// The client API's answer to a follow request (follow_requests/:id/authorize or /reject): one
// write with approve_follow or reject_follow. storage::Errc::not_found when there is no such
// request. Wake the delivery worker afterwards.
boost::asio::awaitable<Result<void>> answer_follow_request(storage::Database& db,
                                                           std::int64_t follower_id,
                                                           std::int64_t target_id, bool approve,
                                                           storage::Millis now);

}  // namespace civicpub::server::services
