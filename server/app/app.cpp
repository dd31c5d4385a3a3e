#include "server/app/app.hpp"

#include "federation/clock.hpp"
#include "federation/keys/assertion_key.hpp"
#include "federation/spawn.hpp"
#include "server/config/settings.hpp"
#include "server/inbound/status_events.hpp"
#include "server/routes/actor_routes.hpp"
#include "server/routes/api_account_routes.hpp"
#include "server/routes/api_follow_routes.hpp"
#include "server/routes/api_instance_routes.hpp"
#include "server/routes/api_notification_routes.hpp"
#include "server/routes/api_poll_routes.hpp"
#include "server/routes/api_reaction_routes.hpp"
#include "server/routes/api_search_routes.hpp"
#include "server/routes/api_status_routes.hpp"
#include "server/routes/consultation_routes.hpp"
#include "server/routes/discovery_routes.hpp"
#include "server/routes/feed_routes.hpp"
#include "server/routes/healthz.hpp"
#include "server/routes/inbox.hpp"
#include "server/routes/oauth_routes.hpp"
#include "server/routes/post_routes.hpp"
#include "server/routes/read_deps.hpp"
#include "server/routes/streaming_routes.hpp"
#include "server/routes/thread_routes.hpp"
#include "server/services/moderation_refresh.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <csignal>
#include <cstdlib>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <vector>

namespace civicpub::server {

namespace asio = boost::asio;

namespace {

int thread_count(const Config& config) {
  if (config.http.threads > 0) return config.http.threads;
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

// The access log shares the HTTP server's logger: with logging.access_log = false that logger
// only passes warnings and errors, so per-request info lines disappear and problems stay.
std::shared_ptr<spdlog::logger> http_logger(const Config& config) {
  auto logger = spdlog::default_logger()->clone("http");
  if (!config.logging.access_log && logger->level() < spdlog::level::warn) {
    logger->set_level(spdlog::level::warn);
  }
  return logger;
}

}  // namespace

App::App(Config config)
    : config_(std::move(config)),
      ioc_(thread_count(config_)),
      signals_(ioc_, SIGINT, SIGTERM),
      assembly_(config_, ioc_.get_executor()) {
  auto log = spdlog::default_logger();
  auto& db = assembly_.db();
  // Accounts made before integrity proofs existed get their Ed25519 key now, so that their actor
  // documents publish it before anyone asks (enqueue_activity would also make it on first use).
  if (auto made = federation::ensure_assertion_keys(db, federation::system_now_millis()); !made) {
    throw std::runtime_error("cannot create the accounts' Ed25519 keys: " + made.error().message());
  } else if (*made > 0) {
    log->info("created the Ed25519 key of {} existing account(s)", *made);
  }
  streams_ = std::make_unique<services::StreamHub>(db, assembly_.instance(), ioc_.get_executor(),
                                                   services::StreamLimits{}, log);
  notifications_ = std::make_unique<services::NotificationRelay>(
      db, assembly_.instance(), ioc_.get_executor(),
      services::NotificationOutlet{
          [this](std::int64_t account) { return streams_->shows_notifications_of(account); },
          [this](std::int64_t account, const std::string& json) {
            streams_->publish_notification(account, json);
          }},
      log);
  delivery_ = std::make_unique<federation::delivery::DeliveryWorker>(
      db, assembly_.client(), federation::system_clock(), retry_policy(config_),
      delivery_settings(config_, assembly_.blocks()), federation::delivery::make_random_unit(),
      log);
  ancestors_ = std::make_unique<federation::AncestorQueue>(
      ioc_.get_executor(), assembly_.remote_posts(), federation::AncestorQueueSettings{}, log);
  dispatcher_ = std::make_unique<inbound::Dispatcher>(
      inbound::ActivityContext{db, assembly_.resolver(), assembly_.remote_posts(),
                               federation::system_clock(), *log, [this] { delivery_->notify(); },
                               [this](std::string uri) { ancestors_->enqueue(std::move(uri)); }});
  status_events_ = std::make_unique<inbound::StatusEventDispatcher>(
      *dispatcher_, db, streams_->sink(), [this] { return streams_->listening(); });
  // A reply stored before its parent: once the queue has fetched the parents, the thread step
  // runs again (a reply to one of our threads is forwarded then).
  ancestors_->on_walked([this](const std::string& uri) {
    boost::asio::co_spawn(ioc_, dispatcher_->reconsider(uri), boost::asio::detached);
  });
  auto worker_settings = inbox_worker_settings(config_);
  worker_settings.blocks = assembly_.blocks();
  // bench/run's split of the inbox step: accepting a burst timed apart from processing it.
  // Never for a town's server: nothing received is processed while it is set.
  if (const char* pause = std::getenv("CIVICPUB_BENCH_PAUSE_INBOX_WORKER");
      pause && std::string_view(pause) == "1") {
    worker_settings.paused = true;
    log->warn("CIVICPUB_BENCH_PAUSE_INBOX_WORKER=1: the inbox worker is paused (benchmark "
              "only); received activities are queued and not processed");
  }
  inbox_worker_ = std::make_unique<federation::InboxWorker>(
      ioc_.get_executor(), db, *status_events_, federation::system_clock(), worker_settings, log);
  inbox_ = std::make_unique<federation::Inbox>(
      db, assembly_.resolver(), assembly_.instance(), federation::system_clock(),
      inbox_settings(config_, assembly_.blocks()), log, [this] { inbox_worker_->notify(); });
  backfill_ = std::make_unique<services::BackfillSchedule>(
      ioc_.get_executor(), db, assembly_.remote_posts(), federation::system_clock(),
      backfill_schedule_settings(config_), log);
  consultations_ = std::make_unique<services::ConsultationSchedule>(
      ioc_.get_executor(), db, federation::system_clock(), consultation_schedule_settings(config_),
      log, [this] { delivery_->notify(); });
  purge_ = std::make_unique<federation::QueuePurge>(
      ioc_.get_executor(), db, federation::system_clock(), queue_purge_settings(config_), log);
  moderation_ = std::make_unique<services::ModerationRefresh>(ioc_.get_executor(), db,
                                                              assembly_.blocks(), log);
  throttle_ = std::make_unique<services::LoginThrottle>(services::LoginThrottleSettings{},
                                                        federation::system_clock());
  oauth_ = std::make_unique<services::OAuthService>(db, *throttle_, federation::system_clock());
  api_ = std::make_unique<routes::ApiDeps>(
      routes::ApiDeps{db, assembly_.instance(), *oauth_, *throttle_,
                      [this] {
                        // The same use case the CLI's `civicpub post` runs
                        // (server/services/post_service).
                        return std::make_unique<services::PostService>(
                            assembly_.db(), assembly_.lookup(), assembly_.remote_posts(),
                            services::PostSettings{assembly_.instance().base_url,
                                                   assembly_.instance().effective_handle_domain()},
                            federation::system_clock());
                      },
                      [this] { delivery_->notify(); }, log});
  api_->poll_vote_service = [this] {
    // The same use case the CLI's `civicpub consultation vote` runs.
    return std::make_unique<services::PollVoteService>(
        assembly_.db(), assembly_.lookup(), assembly_.remote_posts(), federation::system_clock());
  };
  api_->lookup = &assembly_.lookup();
  api_->posts = &assembly_.remote_posts();
  register_routes();
  use_document_cache(log);
  // The connections get event loops of their own, one thread each (server.hpp); ioc_ keeps its
  // threads for the workers, the writer's completions and the timers.
  auto settings = server_settings(config_);
  settings.session_threads = static_cast<std::size_t>(thread_count(config_));
  server_ =
      std::make_unique<http::HttpServer>(ioc_, std::move(settings), router_, http_logger(config_));
  server_->serve_streams(stream_routes_);
}

App::~App() = default;

void App::use_document_cache(const std::shared_ptr<spdlog::logger>& log) {
  // This server's commits are seen at once, another process's within a millisecond
  // (change_watch.hpp): a cached read costs two atomic loads, not a query.
  auto watch = storage::ChangeWatch::open(
      config_.storage.path.string(),
      [db = &assembly_.db()] { return db->transactions_committed(); },
      std::chrono::milliseconds(1));
  if (!watch) {
    log->warn("documents are not cached: cannot watch the database for changes: {}",
              watch.error().message());
    return;
  }
  change_watch_ = std::move(*watch);
  document_cache_ = std::make_unique<http::DocumentCache>(
      [watch = change_watch_.get()]() -> std::optional<std::int64_t> { return watch->epoch(); });
  router_.use_document_cache(document_cache_.get());
}

void App::register_routes() {
  using boost::beast::http::verb;
  router_.add(verb::get, "/healthz",
              [db = &assembly_.db()](http::RequestContext&) -> asio::awaitable<http::Response> {
                co_return routes::healthz(*db);
              });
  const routes::ReadDeps read{
      assembly_.db(), assembly_.instance(), federation::system_clock(), nullptr,
      [this](std::string uri) { backfill_->backfill_soon(std::move(uri)); }};
  routes::register_discovery_routes(router_, read);
  routes::register_actor_routes(router_, read);
  routes::register_post_routes(router_, read);
  routes::register_consultation_routes(router_, read);
  routes::register_thread_routes(router_, read);
  routes::register_feed_routes(router_, read);
  routes::register_inbox_routes(router_, *inbox_);
  routes::register_oauth_routes(router_, *api_,
                                [this](std::int64_t token) { streams_->close_token(token); });
  routes::register_api_instance_routes(router_, *api_);
  routes::register_api_account_routes(router_, *api_);
  routes::register_api_status_routes(router_, *api_, streams_->sink());
  routes::register_api_poll_routes(router_, *api_);
  routes::register_api_follow_routes(router_, *api_);
  routes::register_api_notification_routes(router_, *api_);
  routes::register_api_reaction_routes(router_, *api_);
  routes::register_api_search_routes(router_, *api_);
  routes::register_streaming_routes(router_, stream_routes_, *api_, *streams_);
}

asio::awaitable<void> App::wait_for_signal() {
  const int signal = co_await signals_.async_wait(asio::use_awaitable);
  spdlog::info("received signal {}: shutting down (grace {}s)", signal,
               config_.http.shutdown_grace_seconds);
  // A second signal means "now": an operator who presses Ctrl-C twice does not want to wait.
  signals_.async_wait([this](const boost::system::error_code& ec, int) {
    if (ec) return;
    spdlog::warn("second signal: stopping at once");
    ioc_.stop();
  });
  backfill_->stop();
  consultations_->stop();
  purge_->stop();
  moderation_->stop();
  co_await server_->shutdown();
  // Deliveries in flight get their own bounded grace; unfinished ones stay pending in the
  // database and go out after the next start.
  co_await delivery_->stop();
  signals_.cancel();
  ioc_.stop();
}

int App::run() {
  if (auto started = server_->start(); !started) {
    spdlog::error("cannot start the HTTP server on {}:{}: {}", config_.http.listen_host,
                  config_.http.listen_port, started.error().message());
    return 1;
  }
  const int threads = thread_count(config_);
  spdlog::info("civicpub serving {} on {}:{} ({}, {} thread(s)), database {}",
               config_.instance.base_url, config_.http.listen_host, server_->port(),
               config_.http.tls() ? "https" : "http", threads, config_.storage.path.string());
  // Work left by the previous run (or queued by the CLI) starts at once.
  delivery_pool_ = std::make_unique<asio::thread_pool>(static_cast<std::size_t>(threads));
  delivery_->start(ioc_.get_executor(), delivery_pool_->get_executor());
  inbox_worker_->notify();
  asio::co_spawn(ioc_, wait_for_signal(),
                 federation::log_escaped_exception(spdlog::default_logger(), "signal handler"));
  backfill_->start();
  consultations_->start();
  purge_->start();
  moderation_->start();
  std::vector<std::jthread> workers;
  workers.reserve(static_cast<std::size_t>(threads - 1));
  for (int i = 1; i < threads; ++i) workers.emplace_back([this] { ioc_.run(); });
  ioc_.run();
  for (auto& worker : workers) worker.join();
  delivery_pool_->stop();  // the worker stopped with the io_context; nothing more runs there
  delivery_pool_->join();
  spdlog::info("civicpub stopped");
  return 0;
}

}  // namespace civicpub::server
