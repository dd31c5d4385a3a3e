#include "federation/http/connection.hpp"

namespace civicpub::federation::http {

ConnectionPool::ConnectionPool(std::size_t max_idle_per_key, std::chrono::seconds idle_ttl)
    : max_idle_per_key_(max_idle_per_key), idle_ttl_(idle_ttl) {}

void ConnectionPool::drop_expired_locked(std::chrono::steady_clock::time_point now) {
  for (auto it = idle_.begin(); it != idle_.end();) {
    auto& queue = it->second;
    // Oldest at the front: pop while expired.
    while (!queue.empty() && now - queue.front()->idle_since >= idle_ttl_) queue.pop_front();
    it = queue.empty() ? idle_.erase(it) : std::next(it);
  }
}

std::unique_ptr<Connection> ConnectionPool::take(const std::string& key) {
  std::lock_guard lock(mutex_);
  drop_expired_locked(std::chrono::steady_clock::now());
  auto it = idle_.find(key);
  if (it == idle_.end()) return nullptr;
  auto connection = std::move(it->second.back());
  it->second.pop_back();
  if (it->second.empty()) idle_.erase(it);
  return connection;
}

void ConnectionPool::put(const std::string& key, std::unique_ptr<Connection> connection) {
  if (max_idle_per_key_ == 0) return;
  auto now = std::chrono::steady_clock::now();
  connection->idle_since = now;
  std::lock_guard lock(mutex_);
  drop_expired_locked(now);
  auto& queue = idle_[key];
  queue.push_back(std::move(connection));
  while (queue.size() > max_idle_per_key_) queue.pop_front();
}

std::size_t ConnectionPool::idle_count(const std::string& key) const {
  std::lock_guard lock(mutex_);
  auto it = idle_.find(key);
  return it == idle_.end() ? 0 : it->second.size();
}

}  // namespace civicpub::federation::http
