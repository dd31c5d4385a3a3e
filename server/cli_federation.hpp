// What the federating CLI commands (follow, unfollow, post, account update) share: the database,
// an io_context with the outbound HTTP client built from [federation] (allow_private_addresses
// included, so test setups on loopback work), WebFinger, the actor resolver, the account
// lookup and the remote post fetcher. The command writes rows and exits; the running server's
// delivery worker sends them.
#pragma once

#include "federation/actor_resolver.hpp"
#include "federation/as2/instance_info.hpp"
#include "federation/http/http_client.hpp"
#include "federation/post_fetcher.hpp"
#include "federation/remote_posts.hpp"
#include "federation/services/account_lookup.hpp"
#include "federation/services/remote_actors.hpp"
#include "federation/webfinger_client.hpp"
#include "server/config.hpp"
#include "storage/database.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <exception>
#include <memory>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string_view>

namespace civicpub::server {

// One-line "<command>: <reason>" on `err`, exit code 1.
int cli_failure(std::ostream& err, std::string_view command, std::string_view reason);

class CliFederation {
 public:
  explicit CliFederation(const Config& config);
  ~CliFederation();
  CliFederation(const CliFederation&) = delete;
  CliFederation& operator=(const CliFederation&) = delete;

  storage::Database& db() { return *db_; }
  federation::services::AccountLookup& lookup() { return lookup_; }
  const federation::as2::InstanceInfo& instance() const { return instance_; }
  // Remote posts by id (stored, else fetched with a signed GET) and a reply's parents.
  federation::PostFetcher& post_fetcher() { return posts_; }

  // Runs one service call to completion on this object's io_context.
  template <class T>
  Result<T> run(boost::asio::awaitable<Result<T>> task) {
    std::optional<Result<T>> outcome;
    std::exception_ptr failure;
    boost::asio::co_spawn(ioc_, std::move(task), [&](std::exception_ptr e, Result<T> r) {
      failure = e;
      if (!e) outcome.emplace(std::move(r));
    });
    ioc_.restart();
    ioc_.run();
    if (failure) std::rethrow_exception(failure);
    if (!outcome) throw std::logic_error("the command's task did not finish");
    return std::move(*outcome);
  }

 private:
  federation::as2::InstanceInfo instance_;
  std::unique_ptr<storage::Database> db_;
  boost::asio::io_context ioc_;
  federation::http::HttpClient client_;
  federation::WebfingerClient webfinger_;
  federation::ActorResolver resolver_;
  federation::RemotePosts posts_;
  federation::services::RemoteActorsAdapter<federation::ActorResolver> remote_;
  federation::services::AccountLookup lookup_;
};

}  // namespace civicpub::server
