// Finds remote actors and their public keys: from storage when the copy is fresh, else with a
// GET signed by the instance actor (authorized-fetch servers refuse unsigned GETs, INTEROP.md
// section 2). Fetched documents pass the origin checks of actor_document.hpp before they are
// stored with storage::actors::upsert_remote.
//
// Key lookup for inbox verification (resolve_key) is cache-first; a verification failure may ask
// for ONE forced refetch per actor per `min_refetch_interval`, so a rotated key is picked up
// while a peer sending garbage cannot make us hammer its (or a victim's) server.
#pragma once

#include "federation/as2/instance_info.hpp"
#include "federation/keys/assertion_key.hpp"
#include "federation/clock.hpp"
#include "federation/http/transport.hpp"
#include "federation/remote/signed_fetch.hpp"
#include "storage/database.hpp"
#include "storage/records.hpp"

#include <rapidjson/document.h>
#include <spdlog/logger.h>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>
#include <string_view>

namespace civicpub::federation {

struct ActorResolverSettings {
  std::chrono::milliseconds refetch_after{std::chrono::hours(24)};
  std::chrono::milliseconds min_refetch_interval{std::chrono::minutes(5)};
  // Domain blocks (config and `civicpub domain block`): actors and keys there are never
  // fetched (blocked_domain). Null: nothing is blocked.
  std::shared_ptr<const BlockList> blocks;
};

class ActorResolver {
 public:
  ActorResolver(storage::Database& db, http::Transport& transport, as2::InstanceInfo instance,
                Clock clock, ActorResolverSettings settings, std::shared_ptr<spdlog::logger> log);

  // The actor with id `uri` (a fragment is ignored). Local actors come from storage as they are.
  // Remote ones come from storage unless older than refetch_after (or force_refresh), else are
  // fetched and stored. A 410 marks a known actor deleted (FederationError::actor_gone); a
  // failed refresh of a stored actor for network reasons falls back to the stored copy.
  boost::asio::awaitable<Result<storage::ActorRecord>> resolve(std::string uri,
                                                               bool force_refresh = false);

  // The actor owning the key `key_id` (its key_id and public_key_pem are that key). Accepts
  // `<actor>#main-key` (Mastodon, Fedify), a key URL serving the actor or a stub of it
  // (GoToSocial's `/main-key`), and a standalone Key document with an `owner`.
  // force_refresh is rate-limited per actor (FederationError::refetch_rate_limited).
  boost::asio::awaitable<Result<storage::ActorRecord>> resolve_key(std::string key_id,
                                                                   bool force_refresh = false);

  // The Ed25519 key `key_id` that verifies integrity proofs (FEP-8b32): a FEP-521a Multikey
  // under `assertionMethod` of the actor the key id names (fragment dropped), whose controller
  // must be that actor. From storage (remote_assertion_keys) when known, unless force_refresh;
  // else the actor is resolved (force_refresh: refetched, rate-limited per actor like
  // resolve_key) and the key looked up in its document and stored. A local actor's key comes
  // from local_assertion_keys. Errors: key_not_found (the document lists no such Ed25519
  // Multikey), origin_mismatch (its controller is another actor), refetch_rate_limited, and
  // those of resolve.
  boost::asio::awaitable<Result<AssertionKey>> resolve_assertion_key(std::string key_id,
                                                                     bool force_refresh = false);

 private:
  // GETs `url` signed by the instance actor (SignedFetcher); a non-2xx status becomes an error
  // (404 actor_not_found, 410 actor_gone, others fetch_failed).
  boost::asio::awaitable<Result<http::OutboundResponse>> fetch(const std::string& url);
  // Fetches and stores the actor at `uri`; `preferred_key_id` picks one of several keys.
  boost::asio::awaitable<Result<storage::ActorRecord>> fetch_actor(const std::string& uri,
                                                                   std::string preferred_key_id);
  // Maps a fetched document (checks included) and upserts it.
  boost::asio::awaitable<Result<storage::ActorRecord>> store(const rapidjson::Value& doc,
                                                             const std::string& body,
                                                             const std::string& uri,
                                                             const std::string& preferred_key_id);
  // Fetches the key id's URL and finds its owner there.
  boost::asio::awaitable<Result<storage::ActorRecord>> fetch_key_owner(const std::string& key_id);
  // True (and the time recorded) when a forced refetch of `actor` is allowed now.
  bool take_refetch_slot(const std::string& actor);

  storage::Database& db_;
  as2::InstanceInfo instance_;
  Clock clock_;
  ActorResolverSettings settings_;
  std::shared_ptr<spdlog::logger> log_;
  SignedFetcher fetcher_;

  std::mutex refetch_mutex_;  // resolve_key runs on many connection strands at once
  std::map<std::string, storage::Millis> last_forced_;
};

}  // namespace civicpub::federation
