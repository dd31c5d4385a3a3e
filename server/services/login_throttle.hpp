// Login throttling (issue 13): failed password checks are counted per account and per client
// address within a sliding window; past the limit, further attempts are refused without even
// checking the password until the window has passed. Kept in memory: a restart forgets it, and
// with several server processes each counts alone (docs/client-api.md says so). The tables are
// bounded: past `max_entries` the stalest entries are dropped.
#pragma once

#include "federation/clock.hpp"

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace civicpub::server::services {

struct LoginThrottleSettings {
  int max_failures_per_account = 5;
  int max_failures_per_address = 20;
  std::int64_t window_ms = 5 * 60 * 1000;
  std::size_t max_entries = 10000;
};

class LoginThrottle {
 public:
  LoginThrottle(LoginThrottleSettings settings, federation::Clock clock)
      : settings_(settings), clock_(std::move(clock)) {}

  // False when either the account or the address has had too many failures in the window.
  bool allowed(std::string_view account, std::string_view address);
  void record_failure(std::string_view account, std::string_view address);
  // A successful login clears the account's count (not the address's).
  void record_success(std::string_view account);

 private:
  struct Window {
    std::int64_t started = 0;
    int failures = 0;
  };
  using Table = std::unordered_map<std::string, Window>;
  bool over(Table& table, std::string_view key, int limit, std::int64_t now);
  void add(Table& table, std::string_view key, std::int64_t now);

  LoginThrottleSettings settings_;
  federation::Clock clock_;
  std::mutex mutex_;
  Table accounts_;
  Table addresses_;
};

}  // namespace civicpub::server::services
