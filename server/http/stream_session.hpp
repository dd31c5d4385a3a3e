// Serving an event stream (stream.hpp) on a connection whose request matched a stream route.
// Internal to the server (session.cpp calls it).
#pragma once

#include "server/http/connection_registry.hpp"
#include "server/http/server_state.hpp"
#include "server/http/stream.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <string>

namespace civicpub::server::http::detail {

struct StreamEnv {
  ServerState& state;
  Connection& connection;
  const std::string& remote;
};

// Runs the handler, then answers its refusal, or serves the stream until it ends: server-sent
// events, or a WebSocket when the request is an upgrade. The connection is not reused after.
boost::asio::awaitable<void> serve_stream(boost::beast::tcp_stream& stream, StreamEnv env,
                                          const Request& req, RequestContext& ctx,
                                          const StreamHandler& handler);
boost::asio::awaitable<void> serve_stream(
    boost::beast::ssl_stream<boost::beast::tcp_stream>& stream, StreamEnv env, const Request& req,
    RequestContext& ctx, const StreamHandler& handler);

}  // namespace civicpub::server::http::detail
