// GETs of ActivityPub documents signed by the instance actor (INTEROP.md section 2:
// authorized-fetch servers answer unsigned GETs with 401). Shared by the ActorResolver (actors,
// keys) and RemotePosts (posts and their parents). The limits live in the Transport: the
// response size cap, a deadline on every step, at most 3 redirects (each hop re-signed here),
// and the AddressGuard on every address.
#pragma once

#include "federation/clock.hpp"
#include "federation/http/transport.hpp"
#include "federation/remote/domain_blocks.hpp"
#include "storage/database.hpp"

#include <spdlog/logger.h>
#include <boost/asio/awaitable.hpp>

#include <memory>
#include <string>
#include <vector>

namespace civicpub::federation {

// Whether a document with id `id`, fetched from `requested` and answered (after redirects) by
// `final_url`, may be believed (the CVE-2024-23832 class): without a redirect the id is the URL
// asked for; after one, the id must be on the origin (scheme, host, port) that finally answered,
// whatever was asked for, since that server wrote the bytes.
bool served_by_its_origin(std::string_view id, std::string_view requested,
                          std::string_view final_url);

class SignedFetcher {
 public:
  // URLs `blocks` blocks are never fetched from, and a redirect to one is refused too.
  SignedFetcher(storage::Database& db, http::Transport& transport, std::string instance_actor_id,
                Clock clock, std::shared_ptr<spdlog::logger> log,
                std::shared_ptr<const BlockList> blocks = nullptr);

  // GET `url` with `Accept: application/activity+json`. Any HTTP status is a value (the caller
  // decides what a 404 or a 410 means for it); a failed exchange (refused address, timeout,
  // oversized body, ...) is FederationError::fetch_failed. Without an instance actor key (a
  // bare test setup) the GET goes unsigned, which most peers accept. A URL on a blocked domain,
  // or redirected to one, is FederationError::blocked_domain; an https URL redirected to http
  // is FederationError::insecure_redirect (that hop is not signed).
  boost::asio::awaitable<Result<http::OutboundResponse>> get(const std::string& url);

 private:
  storage::Database& db_;
  http::Transport& transport_;
  std::string instance_actor_id_;
  Clock clock_;
  std::shared_ptr<spdlog::logger> log_;
  std::shared_ptr<const BlockList> blocks_;
};

}  // namespace civicpub::federation
