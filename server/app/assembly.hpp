// The composition root's shared part (STYLE.md rule 9): everything both `civicpub serve` (App)
// and the CLI commands need, built from the Config one way, so that a command and the server use
// the same settings (the HTTP client's addresses and timeouts, the resolver's refetch limits,
// thread budgets). App adds what only a running server has: the listener, the inbox and the
// workers. Nothing else turns the Config into federation objects.
#pragma once

#include "federation/as2/instance_info.hpp"
#include "federation/http/fetch_guard.hpp"
#include "federation/http/http_client.hpp"
#include "federation/remote/actor_resolver.hpp"
#include "federation/remote/domain_blocks.hpp"
#include "federation/remote/remote_posts.hpp"
#include "federation/remote/webfinger_client.hpp"
#include "server/config/config.hpp"
#include "server/services/account_lookup.hpp"
#include "server/services/remote_actors.hpp"
#include "storage/database.hpp"

#include <boost/asio/any_io_executor.hpp>

#include <memory>

namespace civicpub::server {

class Assembly {
 public:
  // Opens (creating and migrating) the database; outbound HTTP runs on `executor`. Throws
  // std::runtime_error with a one-line reason on a start-up failure.
  Assembly(const Config& config, boost::asio::any_io_executor executor);
  ~Assembly();
  Assembly(const Assembly&) = delete;
  Assembly& operator=(const Assembly&) = delete;

  const Config& config() const { return config_; }
  const federation::as2::InstanceInfo& instance() const { return instance_; }
  storage::Database& db() { return *db_; }
  // The raw client, for deliveries (the delivery worker has its own caps per host).
  federation::http::HttpClient& client() { return client_; }
  // Every fetch (keys, actors, WebFinger, posts, threads) goes through this guard.
  federation::http::FetchGuard& fetches() { return fetches_; }
  federation::ActorResolver& resolver() { return resolver_; }
  // Remote posts by id (stored, else fetched with a signed GET), a reply's parents, backfill.
  federation::RemotePosts& remote_posts() { return posts_; }
  services::AccountLookup& lookup() { return lookup_; }
  // Domain blocks and suspended actors, as every path reads them (loaded at construction; the
  // server keeps them current with services::ModerationRefresh).
  const std::shared_ptr<federation::BlockList>& blocks() { return blocks_; }

 private:
  const Config& config_;
  federation::as2::InstanceInfo instance_;
  std::unique_ptr<storage::Database> db_;
  std::shared_ptr<federation::BlockList> blocks_;
  federation::http::HttpClient client_;
  federation::http::FetchGuard fetches_;
  federation::WebfingerClient webfinger_;
  federation::ActorResolver resolver_;
  federation::RemotePosts posts_;
  services::RemoteActorsAdapter<federation::ActorResolver> remote_;
  services::AccountLookup lookup_;
};

}  // namespace civicpub::server
