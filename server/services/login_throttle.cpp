#include "server/services/login_throttle.hpp"

#include <algorithm>

namespace civicpub::server::services {

bool LoginThrottle::over(Table& table, std::string_view key, int limit, std::int64_t now) {
  auto it = table.find(std::string(key));
  if (it == table.end()) return false;
  if (now - it->second.started >= settings_.window_ms) {
    table.erase(it);
    return false;
  }
  return it->second.failures >= limit;
}

void LoginThrottle::add(Table& table, std::string_view key, std::int64_t now) {
  if (table.size() >= settings_.max_entries && table.find(std::string(key)) == table.end()) {
    // Drop the windows that have passed; if none has, the oldest one.
    std::erase_if(table, [&](const auto& e) { return now - e.second.started >= settings_.window_ms; });
    if (table.size() >= settings_.max_entries && table.find(std::string(key)) == table.end()) {
      auto oldest = std::min_element(table.begin(), table.end(), [](const auto& a, const auto& b) {
        return a.second.started < b.second.started;
      });
      table.erase(oldest);
    }
  }
  auto& window = table[std::string(key)];
  if (window.failures == 0 || now - window.started >= settings_.window_ms) {
    window = {now, 0};
  }
  ++window.failures;
}

bool LoginThrottle::allowed(std::string_view account, std::string_view address) {
  const auto now = clock_();
  std::lock_guard lock(mutex_);
  const bool account_over =
      over(accounts_, account, settings_.max_failures_per_account, now);
  const bool address_over =
      over(addresses_, address, settings_.max_failures_per_address, now);
  return !account_over && !address_over;
}

void LoginThrottle::record_failure(std::string_view account, std::string_view address) {
  const auto now = clock_();
  std::lock_guard lock(mutex_);
  add(accounts_, account, now);
  add(addresses_, address, now);
}

void LoginThrottle::record_success(std::string_view account) {
  std::lock_guard lock(mutex_);
  accounts_.erase(std::string(account));
}

}  // namespace civicpub::server::services
