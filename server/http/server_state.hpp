// What the listener, the sessions and shutdown share. Held by shared_ptr so a session that
// outlives HttpServer (a handler ignoring cancellation) still finds it. Internal to the server.
#pragma once

#include "server/http/connection_registry.hpp"
#include "server/http/router.hpp"
#include "server/http/server.hpp"
#include "server/http/trusted_proxies.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <cstddef>
#include <optional>
#include <vector>

namespace civicpub::server::http::detail {

struct ServerState {
  ServerState(boost::asio::io_context& ioc_in, ServerSettings settings_in, const Router& router_in,
              std::shared_ptr<spdlog::logger> log_in)
      : ioc(ioc_in),
        settings(std::move(settings_in)),
        router(router_in),
        log(std::move(log_in)),
        strand(boost::asio::make_strand(ioc_in)),
        connections(strand) {}

  boost::asio::io_context& ioc;
  const ServerSettings settings;
  const Router& router;
  const StreamRoutes* streams = nullptr;  // set by serve_streams() before start()
  std::shared_ptr<spdlog::logger> log;
  TrustedProxies trusted;                        // set by start()
  std::optional<boost::asio::ssl::context> tls;  // set by start() when TLS is configured
  std::atomic<bool> stopping{false};
  // The server's own strand: the acceptor, the registry and shutdown run on it.
  boost::asio::any_io_executor strand;
  ConnectionRegistry connections;
  // ServerSettings::session_threads loops (set by start()); empty: connections run on ioc.
  std::vector<boost::asio::io_context*> session_loops;
  std::size_t next_loop = 0;  // the accept loop's turn; used on the server strand only

  // The executor of the next connection, whose steps must never run concurrently. A session loop
  // is run by one thread, which already runs one step at a time: its executor is used as it is (a
  // strand on top cost 5% of a cached read's CPU, issue 15). Without session loops the
  // connection runs on the shared io_context and gets a strand of its own.
  boost::asio::any_io_executor next_session_executor() {
    if (session_loops.empty()) return boost::asio::make_strand(ioc);
    return session_loops[next_loop++ % session_loops.size()]->get_executor();
  }
};

}  // namespace civicpub::server::http::detail
