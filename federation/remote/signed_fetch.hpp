// GETs of ActivityPub documents signed by the instance actor (INTEROP.md section 2:
// authorized-fetch servers answer unsigned GETs with 401). Shared by the ActorResolver (actors,
// keys) and RemotePosts (posts and their parents). The limits live in the Transport: the
// response size cap, a deadline on every step, at most 3 redirects (each hop re-signed here),
// and the AddressGuard on every address.
#pragma once

#include "federation/clock.hpp"
#include "federation/http/transport.hpp"
#include "storage/database.hpp"

#include <spdlog/logger.h>
#include <boost/asio/awaitable.hpp>

#include <memory>
#include <string>

namespace civicpub::federation {

class SignedFetcher {
 public:
  SignedFetcher(storage::Database& db, http::Transport& transport, std::string instance_actor_id,
                Clock clock, std::shared_ptr<spdlog::logger> log);

  // GET `url` with `Accept: application/activity+json`. Any HTTP status is a value (the caller
  // decides what a 404 or a 410 means for it); a failed exchange (refused address, timeout,
  // oversized body, ...) is FederationError::fetch_failed. Without an instance actor key (a
  // bare test setup) the GET goes unsigned, which most peers accept.
  boost::asio::awaitable<Result<http::OutboundResponse>> get(const std::string& url);

 private:
  storage::Database& db_;
  http::Transport& transport_;
  std::string instance_actor_id_;
  Clock clock_;
  std::shared_ptr<spdlog::logger> log_;
};

}  // namespace civicpub::federation
