// The composition root (STYLE.md rule 9): the one object that builds everything `civicpub serve`
// runs from the Config, wires it together and owns it. Nothing else creates long-lived services.
#pragma once

#include "federation/accounts.hpp"
#include "federation/actor_resolver.hpp"
#include "federation/as2/instance_info.hpp"
#include "federation/delivery/delivery_worker.hpp"
#include "federation/http/http_client.hpp"
#include "federation/inbox/inbox.hpp"
#include "federation/inbox/inbox_worker.hpp"
#include "federation/remote_posts.hpp"
#include "server/config.hpp"
#include "server/http/router.hpp"
#include "server/http/server.hpp"
#include "storage/database.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <memory>

namespace civicpub::server {

// Database options from the config (the writer plus storage.read_connections readers). Database
// failure detail goes to the log.
storage::DatabaseOptions database_options(const Config& config);

// Opens (creating the file and its directory when missing) and migrates the database. Throws
// std::runtime_error with a one-line reason: a start-up failure.
std::unique_ptr<storage::Database> open_database(const Config& config);

// What account creation needs to know of the instance.
federation::AccountSettings account_settings(const Config& config);

// The HTTP server's settings from the config. Resolves a host name in http.listen (start-up).
http::ServerSettings server_settings(const Config& config);

class App {
 public:
  // Builds everything; throws std::runtime_error on a start-up failure (database, TLS, bind).
  explicit App(Config config);
  ~App();
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  // Serves until SIGINT/SIGTERM, then shuts down gracefully: stop accepting, let requests in
  // flight finish within http.shutdown_grace_seconds, close the database. A second signal during
  // the grace period stops at once. Returns the exit code.
  int run();

 private:
  boost::asio::awaitable<void> wait_for_signal();
  // Five seconds after start-up, then every federation.backfill_interval_minutes: backfills the
  // remote threads active in the last federation.backfill_active_days (a few per round, each
  // within its budget and cooldowns).
  boost::asio::awaitable<void> backfill_active_threads();
  // One backfill started by a thread page, run detached.
  boost::asio::awaitable<void> backfill_thread(std::string uri);
  void register_routes();

  Config config_;
  federation::as2::InstanceInfo instance_;
  std::unique_ptr<storage::Database> db_;
  boost::asio::io_context ioc_;
  boost::asio::signal_set signals_;
  boost::asio::steady_timer backfill_timer_;
  // Everything below runs on ioc_ and is destroyed before it (members die in reverse order).
  std::unique_ptr<federation::http::HttpClient> client_;
  std::unique_ptr<federation::delivery::DeliveryWorker> delivery_;
  std::unique_ptr<federation::ActorResolver> resolver_;
  std::unique_ptr<federation::RemotePosts> remote_posts_;  // replies' parents, inbox posts
  std::unique_ptr<federation::Inbox> inbox_;
  std::unique_ptr<federation::InboxWorker> inbox_worker_;
  http::Router router_;
  std::unique_ptr<http::HttpServer> server_;
};

}  // namespace civicpub::server
