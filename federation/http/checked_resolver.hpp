// Name resolution for the federation client: with a deadline, and every answer checked by the
// SSRF guard before anything connects (INTEROP.md section 6: no second lookup).
#pragma once

#include "federation/http/address_guard.hpp"
#include "common/error_kind.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace civicpub::federation::http {

class CheckedResolver {
 public:
  // `overrides` maps "host:port" or "host" to an IP address text (tests point names at
  // loopback); an override is checked by the guard like any DNS answer.
  CheckedResolver(boost::asio::any_io_executor executor, AddressGuard guard,
                  std::map<std::string, std::string> overrides, std::chrono::milliseconds timeout);

  // All endpoints for host:port, or blocked_address when ANY answer is refused: a name that
  // also points into a private network is not trusted with its public answers either.
  // resolve_failed when there is no answer, timeout past the deadline.
  boost::asio::awaitable<Result<std::vector<boost::asio::ip::tcp::endpoint>>> resolve(
      std::string host, std::uint16_t port) const;

  const AddressGuard& guard() const { return guard_; }

 private:
  boost::asio::awaitable<Result<std::vector<boost::asio::ip::address>>> lookup(
      std::string host, std::uint16_t port) const;

  boost::asio::any_io_executor executor_;
  AddressGuard guard_;
  std::map<std::string, std::string> overrides_;
  std::chrono::milliseconds timeout_;
};

}  // namespace civicpub::federation::http
