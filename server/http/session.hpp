// One client connection: reads requests, dispatches them to the router, writes the responses.
// Internal to the server (see server.hpp for the behaviour).
#pragma once

#include "server/http/connection_registry.hpp"
#include "server/http/server_state.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <memory>

namespace civicpub::server::http::detail {

// Runs on the connection's strand (`socket`'s executor) until the connection closes; deregisters
// the connection from state->connections when it ends, however it ends.
boost::asio::awaitable<void> run_session(std::shared_ptr<ServerState> state,
                                         std::shared_ptr<Connection> connection,
                                         boost::asio::ip::tcp::socket socket);

}  // namespace civicpub::server::http::detail
