#include "server/http/server.hpp"

#include "server/http/errors.hpp"
#include "server/http/listener.hpp"
#include "server/http/server_state.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <memory>
#include <thread>
#include <vector>

namespace civicpub::server::http {
namespace asio = boost::asio;
using namespace boost::asio::experimental::awaitable_operators;

namespace detail {

// ServerSettings::session_threads io_contexts, each run by its own thread until the server is
// destroyed (a work guard keeps an idle loop running).
struct SessionLoops {
  explicit SessionLoops(std::size_t count) {
    for (std::size_t i = 0; i < count; ++i) {
      contexts.push_back(std::make_unique<asio::io_context>(1));
      guards.push_back(asio::make_work_guard(*contexts.back()));
    }
  }
  SessionLoops(const SessionLoops&) = delete;
  SessionLoops& operator=(const SessionLoops&) = delete;

  void start() {
    for (auto& context : contexts) threads.emplace_back([ctx = context.get()] { ctx->run(); });
  }

  ~SessionLoops() {
    guards.clear();
    for (auto& context : contexts) context->stop();
    threads.clear();  // joins
  }

  std::vector<std::unique_ptr<asio::io_context>> contexts;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
  std::vector<std::jthread> threads;
};

}  // namespace detail

namespace {

// How long to wait for sessions to unwind after they were closed and cancelled.
constexpr auto kForcedCloseWait = std::chrono::seconds(2);

Result<void> load_tls(asio::ssl::context& ctx, const ServerSettings& settings,
                      spdlog::logger& log) {
  ctx.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                  asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                  asio::ssl::context::no_tlsv1_1 | asio::ssl::context::single_dh_use);
  boost::system::error_code ec;
  ctx.use_certificate_chain_file(*settings.tls_cert_file, ec);
  if (!ec) ctx.use_private_key_file(*settings.tls_key_file, asio::ssl::context::pem, ec);
  if (ec) {
    log.error("TLS certificate {} / key {}: {}", *settings.tls_cert_file, *settings.tls_key_file,
              ec.message());
    return ServerError::tls_setup_failed;
  }
  return {};
}

// Waits for the registry to empty, for at most `limit`. True when it emptied.
asio::awaitable<bool> wait_empty_for(detail::ServerState& st,
                                     std::chrono::steady_clock::duration limit) {
  asio::steady_timer timer(st.strand, limit);
  auto winner = co_await (st.connections.wait_empty() ||
                          timer.async_wait(asio::as_tuple(asio::use_awaitable)));
  co_return winner.index() == 0 || st.connections.size() == 0;
}

// One struct parameter: GCC 12 (Debian 12.2) built this coroutine with two by-value shared_ptr
// parameters so that the frame's copies held garbage (a crash in the server tests' shutdown).
struct ShutdownTarget {
  std::shared_ptr<detail::ServerState> state;
  std::shared_ptr<detail::Listener> listener;
};

asio::awaitable<void> shutdown_on_strand(ShutdownTarget target) {
  auto st = target.state;
  auto listener = target.listener;
  st->stopping = true;
  if (listener) listener->close();
  st->connections.close_idle();
  if (co_await wait_empty_for(*st, st->settings.shutdown_grace)) co_return;
  st->log->warn("shutdown: closing {} connection(s) still busy after {}s", st->connections.size(),
                st->settings.shutdown_grace.count());
  st->connections.close_all();
  if (!co_await wait_empty_for(*st, kForcedCloseWait)) {
    st->log->warn("shutdown: {} session(s) did not end after being cancelled",
                  st->connections.size());
  }
}

}  // namespace

HttpServer::HttpServer(asio::io_context& ioc, ServerSettings settings, const Router& router,
                       std::shared_ptr<spdlog::logger> log)
    : state_(std::make_shared<detail::ServerState>(ioc, std::move(settings), router,
                                                   std::move(log))) {}

HttpServer::~HttpServer() = default;

Result<void> HttpServer::start() {
  if (listener_) return ServerError::already_started;
  auto& st = *state_;
  auto trusted = TrustedProxies::parse(st.settings.trusted_proxies);
  if (!trusted) return trusted.error();
  st.trusted = std::move(*trusted);
  if (st.settings.tls_cert_file || st.settings.tls_key_file) {
    if (!st.settings.tls_cert_file || !st.settings.tls_key_file) return ServerError::tls_setup_failed;
    st.tls.emplace(asio::ssl::context::tls_server);
    if (auto r = load_tls(*st.tls, st.settings, *st.log); !r) return r;
  }
  auto listener = std::make_shared<detail::Listener>(state_);
  auto port = listener->open(st.settings.address, st.settings.port);
  if (!port) return port.error();
  port_ = *port;
  if (st.settings.session_threads > 0) {
    loops_ = std::make_unique<detail::SessionLoops>(st.settings.session_threads);
    for (auto& context : loops_->contexts) st.session_loops.push_back(context.get());
    loops_->start();
  }
  listener_ = std::move(listener);
  listener_->start();
  st.log->info("listening on {}:{}{}", st.settings.address, port_, st.tls ? " (TLS)" : "");
  return {};
}

void HttpServer::serve_streams(const StreamRoutes& routes) {
  state_->streams = &routes;
}

unsigned short HttpServer::port() const {
  return port_;
}

asio::awaitable<void> HttpServer::shutdown() {
  // The registry and acceptor live on the server strand: run the whole sequence there.
  auto work = [target = ShutdownTarget{state_, listener_}] { return shutdown_on_strand(target); };
  co_await asio::co_spawn(state_->strand, std::move(work), asio::use_awaitable);
}

}  // namespace civicpub::server::http
