#include "federation/http/checked_resolver.hpp"

#include "federation/http/error.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <memory>

namespace civicpub::federation::http {
namespace asio = boost::asio;
using asio::ip::tcp;
using namespace asio::experimental::awaitable_operators;

namespace {

// Asio's resolver runs getaddrinfo on a private thread and ignores per-operation cancellation,
// so racing async_resolve itself against a timer with `||` would still wait for the lookup.
// Instead the lookup reports into a channel that outlives it, and we race the channel.
struct PendingLookup {
  explicit PendingLookup(const asio::any_io_executor& ex) : resolver(ex), channel(ex, 1) {}
  tcp::resolver resolver;
  asio::experimental::concurrent_channel<void(boost::system::error_code,
                                              tcp::resolver::results_type)>
      channel;
};

}  // namespace

CheckedResolver::CheckedResolver(asio::any_io_executor executor, AddressGuard guard,
                                 std::map<std::string, std::string> overrides,
                                 std::chrono::milliseconds timeout)
    : executor_(std::move(executor)),
      guard_(std::move(guard)),
      overrides_(std::move(overrides)),
      timeout_(timeout) {}

asio::awaitable<Result<std::vector<asio::ip::address>>> CheckedResolver::lookup(
    std::string host, std::uint16_t port) const {
  boost::system::error_code ec;
  auto literal = asio::ip::make_address(host, ec);
  if (!ec) co_return std::vector<asio::ip::address>{literal};

  for (const auto& key : {host + ":" + std::to_string(port), host}) {
    if (auto it = overrides_.find(key); it != overrides_.end()) {
      auto overridden = asio::ip::make_address(it->second, ec);
      if (ec) co_return HttpError::resolve_failed;
      co_return std::vector<asio::ip::address>{overridden};
    }
  }

  auto pending = std::make_shared<PendingLookup>(executor_);
  pending->resolver.async_resolve(
      host, std::to_string(port),
      [pending](boost::system::error_code lookup_ec, tcp::resolver::results_type results) {
        pending->channel.try_send(lookup_ec, std::move(results));
      });
  asio::steady_timer deadline(executor_, timeout_);
  auto winner = co_await (pending->channel.async_receive(asio::as_tuple(asio::use_awaitable)) ||
                          deadline.async_wait(asio::as_tuple(asio::use_awaitable)));
  // On timeout the lookup finishes on its own later and its answer is dropped with `pending`.
  if (winner.index() == 1) co_return HttpError::timeout;
  auto [lookup_ec, results] = std::get<0>(std::move(winner));
  if (lookup_ec || results.empty()) co_return HttpError::resolve_failed;
  std::vector<asio::ip::address> addresses;
  for (const auto& entry : results) addresses.push_back(entry.endpoint().address());
  co_return addresses;
}

asio::awaitable<Result<std::vector<tcp::endpoint>>> CheckedResolver::resolve(
    std::string host, std::uint16_t port) const {
  auto addresses = co_await lookup(std::move(host), port);
  if (!addresses) co_return addresses.error();
  std::vector<tcp::endpoint> endpoints;
  for (const auto& address : *addresses) {
    if (guard_.refusal(address)) co_return HttpError::blocked_address;
    endpoints.emplace_back(address, port);
  }
  co_return endpoints;
}

}  // namespace civicpub::federation::http
