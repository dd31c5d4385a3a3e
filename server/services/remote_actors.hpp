// The seam to remote actors used by the services: fetch (or return the stored copy of) an actor
// by its id and keep it in the actors table. Production and the unit tests wire federation::ActorResolver
// (federation/remote/actor_resolver.hpp: signed fetches by the instance actor, origin checks) through
// RemoteActorsAdapter; the seam keeps the services from depending on the inbox machinery and
// lets a test substitute a fake.
#pragma once

#include "common/error_kind.hpp"
#include "storage/records.hpp"

#include <boost/asio/awaitable.hpp>

#include <string>

namespace civicpub::server::services {

class RemoteActors {
 public:
  virtual ~RemoteActors() = default;
  // The stored actor (its `id` set) for `uri`, fetched and upserted when unknown or when
  // `force_refresh` asks for it. Same shape as federation::ActorResolver::resolve.
  virtual boost::asio::awaitable<Result<storage::ActorRecord>> resolve(
      std::string uri, bool force_refresh = false) = 0;
};

// Adapts any resolver with federation::ActorResolver's `resolve(uri, force_refresh)` to RemoteActors, so the
// composition root can hand the inbox's resolver to the services without either knowing the
// other.
template <class Resolver>
class RemoteActorsAdapter final : public RemoteActors {
 public:
  explicit RemoteActorsAdapter(Resolver& resolver) : resolver_(resolver) {}
  boost::asio::awaitable<Result<storage::ActorRecord>> resolve(std::string uri,
                                                               bool force_refresh) override {
    co_return co_await resolver_.resolve(std::move(uri), force_refresh);
  }

 private:
  Resolver& resolver_;
};

}  // namespace civicpub::server::services
