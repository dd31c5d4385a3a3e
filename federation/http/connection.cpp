#include "federation/http/connection.hpp"

namespace civicpub::federation::http {

ConnectionPool::ConnectionPool(std::size_t max_idle_per_key, std::chrono::seconds idle_ttl,
                               std::size_t max_idle_total)
    : max_idle_per_key_(max_idle_per_key), idle_ttl_(idle_ttl), max_idle_total_(max_idle_total) {}

void ConnectionPool::drop_oldest_of_key_locked(Order::iterator it) {
  const auto queue = by_key_.find(it->key);
  queue->second.pop_front();
  if (queue->second.empty()) by_key_.erase(queue);
  parked_.erase(it);
}

void ConnectionPool::drop_expired_locked(std::chrono::steady_clock::time_point now) {
  // The front of the list is the oldest of all, so also the oldest of its key.
  while (!parked_.empty() && now - parked_.front().connection->idle_since >= idle_ttl_) {
    drop_oldest_of_key_locked(parked_.begin());
  }
}

std::unique_ptr<Connection> ConnectionPool::take(const std::string& key) {
  std::lock_guard lock(mutex_);
  drop_expired_locked(std::chrono::steady_clock::now());
  const auto queue = by_key_.find(key);
  if (queue == by_key_.end()) return nullptr;
  const auto newest = queue->second.back();
  queue->second.pop_back();
  if (queue->second.empty()) by_key_.erase(queue);
  auto connection = std::move(newest->connection);
  parked_.erase(newest);
  return connection;
}

void ConnectionPool::put(const std::string& key, std::unique_ptr<Connection> connection) {
  if (max_idle_per_key_ == 0 || max_idle_total_ == 0) return;
  std::lock_guard lock(mutex_);
  // Stamped under the lock, so the list stays in idle_since order across threads.
  const auto now = std::chrono::steady_clock::now();
  connection->idle_since = now;
  drop_expired_locked(now);
  parked_.push_back({key, std::move(connection)});
  auto& queue = by_key_[key];
  queue.push_back(std::prev(parked_.end()));
  if (queue.size() > max_idle_per_key_) drop_oldest_of_key_locked(queue.front());
  if (parked_.size() > max_idle_total_) drop_oldest_of_key_locked(parked_.begin());
}

std::size_t ConnectionPool::idle_count(const std::string& key) const {
  std::lock_guard lock(mutex_);
  const auto it = by_key_.find(key);
  return it == by_key_.end() ? 0 : it->second.size();
}

std::size_t ConnectionPool::idle_total() const {
  std::lock_guard lock(mutex_);
  return parked_.size();
}

}  // namespace civicpub::federation::http
