// Bounds on everything civicpub fetches from other servers (docs/security.md "Remote fetches"): a
// Transport that wraps the HTTP client for the fetchers (keys, actors, WebFinger, posts, threads;
// deliveries have their own caps in the delivery worker). Per fetch: one deadline across all
// redirects. Per host (scheme://host[:port] of the first URL): at most `max_per_host` fetches in
// flight, more are refused at once (host_busy) instead of waiting; after `failures_to_back_off`
// failures in a row (no answer, a broken answer, 5xx or 429) the host is not asked again for
// `host_backoff` (host_backing_off). Per URL: a GET that failed (no answer or a status >= 400) is
// answered from memory for `failure_ttl` (the same status, no body, or recently_failed) instead
// of being fetched again. So a flood of requests whose keys sit on a host that never answers
// costs a few fetches, not one connection slot each for a whole deadline.
#pragma once

#include "federation/http/transport.hpp"

#include <boost/asio/any_io_executor.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace civicpub::federation::http {

struct FetchGuardSettings {
  std::chrono::milliseconds deadline{std::chrono::seconds(15)};  // federation.fetch_timeout_seconds
  std::size_t max_per_host = 4;                   // federation.fetches_per_host
  int failures_to_back_off = 3;                   // failures in a row before the backoff
  std::chrono::milliseconds host_backoff{std::chrono::seconds(60)};  // federation.host_backoff_seconds
  std::chrono::milliseconds failure_ttl{std::chrono::seconds(120)};  // federation.fetch_failure_cache_seconds
  std::size_t max_remembered = 10000;  // hosts and URLs kept; expired entries go first
};

class FetchGuard final : public Transport {
 public:
  using Now = std::function<std::chrono::steady_clock::time_point()>;

  // `inner` (the HttpClient) must outlive the guard. `now` is for tests.
  FetchGuard(boost::asio::any_io_executor executor, Transport& inner, FetchGuardSettings settings,
             Now now = {});

  // Thread-safe: sends run on many connection strands at once. A send cancelled by its caller
  // (the inbound client went away) ends with HttpError::cancelled and counts against nothing.
  boost::asio::awaitable<Result<OutboundResponse>> send(OutboundRequest request) override;

  // Fetches in flight for the host of `url` (tests, metrics).
  std::size_t in_flight(std::string_view url) const;

 private:
  struct Host {
    std::size_t in_flight = 0;
    int failures = 0;
    std::chrono::steady_clock::time_point backoff_until{};
  };
  struct Failure {
    std::chrono::steady_clock::time_point until{};
    unsigned status = 0;  // 0: the exchange failed (no answer)
  };
  struct Admission {
    std::optional<Result<OutboundResponse>> refusal;  // set: answer this without fetching
    std::string host;
  };

  Admission admit(const OutboundRequest& request);
  void settle(const std::string& host, const std::string& url, bool cacheable,
              const Result<OutboundResponse>& result, bool cancelled);
  void release(const std::string& host);
  void prune(std::chrono::steady_clock::time_point now);  // mutex held

  boost::asio::any_io_executor executor_;
  Transport& inner_;
  FetchGuardSettings settings_;
  Now now_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Host> hosts_;
  std::unordered_map<std::string, Failure> failed_;
};

}  // namespace civicpub::federation::http
