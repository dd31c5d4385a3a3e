// Accepts connections and starts a session for each on its own strand. Internal to the server.
#pragma once

#include "server/http/server_state.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <memory>
#include <string>

namespace civicpub::server::http::detail {

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  explicit Listener(std::shared_ptr<ServerState> state);

  // Binds and listens; returns the bound port. ServerError::invalid_address / bind_failed.
  Result<unsigned short> open(const std::string& address, unsigned short port);
  // Spawns the accept loop on the server strand.
  void start();
  // Stops accepting. Must run on the server strand.
  void close();

 private:
  boost::asio::awaitable<void> accept_loop();
  void start_session(boost::asio::ip::tcp::socket socket, std::string peer);

  std::shared_ptr<ServerState> state_;
  boost::asio::ip::tcp::acceptor acceptor_;
};

}  // namespace civicpub::server::http::detail
