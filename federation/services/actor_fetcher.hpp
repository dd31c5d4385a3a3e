// An interim RemoteActors: an unsigned GET of the actor document, read into an ActorRecord and
// upserted. Peers in "authorized fetch" mode refuse unsigned GETs; the inbox branch's
// ActorResolver (signed by the instance actor) replaces this in the composition root. Kept small
// and separate so that swap is one line.
#pragma once

#include "federation/clock.hpp"
#include "federation/http/transport.hpp"
#include "federation/services/remote_actors.hpp"
#include "storage/database.hpp"

#include <string_view>

namespace civicpub::federation::services {

// Reads an actor document fetched from `requested_uri`. Its `id` must equal the URI asked for
// (INTEROP.md section 1), its type must be an actor type and it needs an http(s) inbox.
// ServiceError::not_an_actor otherwise. The summary is sanitized; raw_json keeps the document.
Result<storage::ActorRecord> read_actor_document(std::string_view body,
                                                 std::string_view requested_uri,
                                                 storage::Millis now);

class FetchingRemoteActors final : public RemoteActors {
 public:
  FetchingRemoteActors(storage::Database& db, http::Transport& transport, Clock clock)
      : db_(db), transport_(transport), clock_(std::move(clock)) {}

  boost::asio::awaitable<Result<storage::ActorRecord>> resolve(std::string uri,
                                                               bool force_refresh) override;

 private:
  storage::Database& db_;
  http::Transport& transport_;
  Clock clock_;
};

}  // namespace civicpub::federation::services
