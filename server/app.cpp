#include "server/app.hpp"

#include "federation/assertion_key.hpp"
#include "federation/clock.hpp"
#include "server/federation_settings.hpp"
#include "server/handlers/actor_routes.hpp"
#include "server/handlers/discovery_routes.hpp"
#include "server/handlers/feed_routes.hpp"
#include "server/handlers/healthz.hpp"
#include "server/handlers/inbox.hpp"
#include "server/handlers/post_routes.hpp"
#include "server/handlers/read_deps.hpp"
#include "server/handlers/thread_routes.hpp"
#include "server/http/spawn.hpp"
#include "storage/posts.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <csignal>
#include <filesystem>
#include <stdexcept>
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

storage::DatabaseOptions database_options(const Config& config) {
  storage::DatabaseOptions options;
  options.path = config.storage.path.string();
  options.read_pool_size = static_cast<std::size_t>(config.storage.read_connections);
  options.log = [](std::string_view what) { spdlog::error("database: {}", what); };
  return options;
}

std::unique_ptr<storage::Database> open_database(const Config& config) {
  const auto& path = config.storage.path;
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  if (ec) {
    throw std::runtime_error("storage.path: cannot create " + path.parent_path().string() + ": " +
                             ec.message());
  }
  auto db = storage::Database::open(database_options(config));
  if (!db) {
    throw std::runtime_error("cannot open the database " + path.string() + ": " +
                             db.error().message());
  }
  return std::move(*db);
}

federation::AccountSettings account_settings(const Config& config) {
  return {config.instance.base_url, config.instance.handle_host()};
}

http::ServerSettings server_settings(const Config& config) {
  http::ServerSettings s;
  boost::system::error_code ec;
  asio::ip::make_address(config.http.listen_host, ec);
  if (ec) {
    // A host name ("localhost"): resolved once at start-up, the first address wins.
    asio::io_context resolver_context;
    asio::ip::tcp::resolver resolver(resolver_context);
    auto results = resolver.resolve(config.http.listen_host, "", ec);
    if (ec || results.empty()) {
      throw std::runtime_error("http.listen: cannot resolve \"" + config.http.listen_host +
                               "\": " + ec.message());
    }
    s.address = results.begin()->endpoint().address().to_string();
  } else {
    s.address = config.http.listen_host;
  }
  s.port = config.http.listen_port;
  if (config.http.tls()) {
    s.tls_cert_file = config.http.tls_cert->string();
    s.tls_key_file = config.http.tls_key->string();
  }
  s.header_limit = config.http.max_header_bytes;
  s.body_limit = config.http.max_body_bytes;
  s.read_timeout = std::chrono::seconds(config.http.read_timeout_seconds);
  s.write_timeout = std::chrono::seconds(config.http.write_timeout_seconds);
  s.idle_timeout = std::chrono::seconds(config.http.idle_timeout_seconds);
  s.shutdown_grace = std::chrono::seconds(config.http.shutdown_grace_seconds);
  s.max_connections = static_cast<std::size_t>(config.http.max_connections);
  s.trusted_proxies = config.http.trusted_proxies;
  s.default_host = config.instance.authority;
  return s;
}

App::App(Config config)
    : config_(std::move(config)),
      instance_(instance_info(config_)),
      db_(open_database(config_)),
      ioc_(thread_count(config_)),
      signals_(ioc_, SIGINT, SIGTERM),
      backfill_timer_(ioc_) {
  auto log = spdlog::default_logger();
  // Accounts made before integrity proofs existed get their Ed25519 key now, so that their actor
  // documents publish it before anyone asks (the Outbox would also make it on first use).
  if (auto made = federation::ensure_assertion_keys(*db_, federation::system_now_millis()); !made) {
    throw std::runtime_error("cannot create the accounts' Ed25519 keys: " + made.error().message());
  } else if (*made > 0) {
    log->info("created the Ed25519 key of {} existing account(s)", *made);
  }
  client_ =
      std::make_unique<federation::http::HttpClient>(ioc_.get_executor(), client_settings(config_));
  delivery_ = std::make_unique<federation::delivery::DeliveryWorker>(
      *db_, *client_, federation::system_clock(), retry_policy(config_), delivery_settings(config_),
      federation::delivery::make_random_unit(), log);
  resolver_ = std::make_unique<federation::ActorResolver>(*db_, *client_, instance_,
                                                          federation::system_clock(),
                                                          federation::ActorResolverSettings{}, log);
  federation::InboxSettings inbox_settings;
  inbox_settings.blocked_domains = config_.federation.blocked_domains;
  inbox_ = std::make_unique<federation::Inbox>(*db_, *resolver_, instance_,
                                               federation::system_clock(), inbox_settings, log);
  remote_posts_ = std::make_unique<federation::RemotePosts>(*db_, *client_, instance_, *resolver_,
                                                            federation::system_clock(),
                                                            remote_posts_settings(config_), log);
  inbox_worker_ = std::make_unique<federation::InboxWorker>(
      ioc_.get_executor(), *db_, *resolver_, *remote_posts_, federation::system_clock(),
      federation::InboxWorkerSettings{}, log, [this] { delivery_->notify(); });
  register_routes();
  server_ = std::make_unique<http::HttpServer>(ioc_, server_settings(config_), router_,
                                               http_logger(config_));
}

App::~App() {
  if (db_) db_->close();
}

void App::register_routes() {
  using boost::beast::http::verb;
  router_.add(verb::get, "/healthz",
              [db = db_.get()](http::RequestContext&) -> asio::awaitable<http::Response> {
                co_return handlers::healthz(*db);
              });
  const handlers::ReadDeps read{
      *db_, instance_, federation::system_clock(), nullptr, [this](std::string uri) {
        asio::co_spawn(ioc_, backfill_thread(std::move(uri)),
                       http::log_escaped_exception(spdlog::default_logger(), "page backfill"));
      }};
  handlers::register_discovery_routes(router_, read);
  handlers::register_actor_routes(router_, read);
  handlers::register_post_routes(router_, read);
  handlers::register_thread_routes(router_, read);
  handlers::register_feed_routes(router_, read);
  handlers::register_inbox_routes(router_, *inbox_, [this] { inbox_worker_->notify(); });
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
  backfill_timer_.cancel();
  co_await server_->shutdown();
  // Deliveries in flight get their own bounded grace; unfinished ones stay pending in the
  // database and go out after the next start.
  co_await delivery_->stop();
  signals_.cancel();
  ioc_.stop();
}

asio::awaitable<void> App::backfill_active_threads() {
  constexpr int kThreadsPerTick = 20;
  const auto interval = std::chrono::minutes(config_.federation.backfill_interval_minutes);
  const storage::Millis window =
      std::int64_t{config_.federation.backfill_active_days} * 24 * 60 * 60 * 1000;
  // The first round comes soon after start-up (a restart catches up at once), then one per
  // interval.
  auto wait = std::min<std::chrono::steady_clock::duration>(interval, std::chrono::seconds(5));
  for (;;) {
    backfill_timer_.expires_after(wait);
    wait = interval;
    boost::system::error_code ec;
    co_await backfill_timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;  // cancelled: shutting down
    const auto since = federation::system_clock()() - window;
    auto threads = db_->read([since](storage::Connection& c) {
      return storage::posts::active_remote_threads(c, since, kThreadsPerTick);
    });
    if (!threads) {
      spdlog::warn("backfill: cannot list active threads: {}", threads.error().message());
      continue;
    }
    std::size_t fetched = 0;
    for (const auto& uri : *threads) {
      auto counts = co_await remote_posts_->backfill(uri);
      if (counts) fetched += counts->fetched;
    }
    if (fetched > 0) {
      spdlog::info("backfill: {} post(s) fetched for {} active thread(s)", fetched,
                   threads->size());
    }
  }
}

asio::awaitable<void> App::backfill_thread(std::string uri) {
  auto counts = co_await remote_posts_->backfill(uri);
  if (!counts) {
    spdlog::info("backfill of the thread of {}: {}", uri, counts.error().message());
  } else if (counts->fetched > 0) {
    spdlog::info("backfill of the thread of {}: {} post(s) fetched", uri, counts->fetched);
  }
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
  delivery_->start(ioc_.get_executor());
  inbox_worker_->notify();
  asio::co_spawn(ioc_, wait_for_signal(),
                 http::log_escaped_exception(spdlog::default_logger(), "signal handler"));
  if (config_.federation.backfill_interval_minutes > 0) {
    asio::co_spawn(ioc_, backfill_active_threads(),
                   http::log_escaped_exception(spdlog::default_logger(), "backfill timer"));
  }
  std::vector<std::jthread> workers;
  workers.reserve(static_cast<std::size_t>(threads - 1));
  for (int i = 1; i < threads; ++i) workers.emplace_back([this] { ioc_.run(); });
  ioc_.run();
  for (auto& worker : workers) worker.join();
  db_->close();
  spdlog::info("civicpub stopped");
  return 0;
}

}  // namespace civicpub::server
