// The composition root (STYLE.md rule 9): the one object that builds everything `civicpub serve`
// runs from the Config, wires it together and owns it. Nothing else creates long-lived services.
#pragma once

#include "federation/delivery/delivery_worker.hpp"
#include "federation/inbox/inbox.hpp"
#include "federation/inbox/inbox_worker.hpp"
#include "federation/inbox/queue_purge.hpp"
#include "federation/remote/ancestor_queue.hpp"
#include "server/app/assembly.hpp"
#include "server/config/config.hpp"
#include "server/http/router.hpp"
#include "server/http/server.hpp"
#include "server/inbound/dispatcher.hpp"
#include "server/inbound/status_events.hpp"
#include "server/routes/api_request.hpp"
#include "server/services/backfill_schedule.hpp"
#include "server/services/consultation_schedule.hpp"
#include "server/services/login_throttle.hpp"
#include "server/services/moderation_refresh.hpp"
#include "server/services/notification_relay.hpp"
#include "server/services/oauth_service.hpp"
#include "server/services/stream_hub.hpp"
#include "storage/change_watch.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/thread_pool.hpp>

#include <memory>

namespace civicpub::server {

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
  void register_routes();
  void use_document_cache(const std::shared_ptr<spdlog::logger>& log);

  Config config_;
  boost::asio::io_context ioc_;
  boost::asio::signal_set signals_;
  // Everything below runs on ioc_ and is destroyed before it (members die in reverse order).
  Assembly assembly_;
  // The streaming API's hub: what stores statuses tells it; open streams listen to it.
  std::unique_ptr<services::StreamHub> streams_;
  // Hands each stored notification to streams_ after its commit.
  std::unique_ptr<services::NotificationRelay> notifications_;
  std::unique_ptr<federation::delivery::DeliveryWorker> delivery_;
  // Where deliveries are prepared, signed and sent (http.threads threads; DeliveryWorker::start).
  // Declared after assembly_ and delivery_: destroyed first, with any send left in it.
  std::unique_ptr<boost::asio::thread_pool> delivery_pool_;
  std::unique_ptr<federation::AncestorQueue> ancestors_;  // replies' parents, off the worker
  std::unique_ptr<inbound::Dispatcher> dispatcher_;
  std::unique_ptr<inbound::StatusEventDispatcher> status_events_;  // dispatcher_, then the hub
  std::unique_ptr<federation::InboxWorker> inbox_worker_;
  std::unique_ptr<federation::Inbox> inbox_;  // wakes inbox_worker_
  std::unique_ptr<services::BackfillSchedule> backfill_;
  std::unique_ptr<services::ConsultationSchedule> consultations_;
  std::unique_ptr<federation::QueuePurge> purge_;
  std::unique_ptr<services::ModerationRefresh> moderation_;  // keeps assembly_.blocks() current
  // The Mastodon client API: login throttling (in memory), OAuth, what its routes share.
  std::unique_ptr<services::LoginThrottle> throttle_;
  std::unique_ptr<services::OAuthService> oauth_;
  std::unique_ptr<routes::ApiDeps> api_;
  // Tells the document cache when the database changed (any commit, any process); null for a
  // database that cannot be watched, and then nothing is cached.
  std::unique_ptr<storage::ChangeWatch> change_watch_;
  std::unique_ptr<http::DocumentCache> document_cache_;  // the router's (document_cache.hpp)
  http::Router router_;
  http::StreamRoutes stream_routes_;
  std::unique_ptr<http::HttpServer> server_;
};

}  // namespace civicpub::server
