#include "server/services/idempotency.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>

namespace civicpub::server::services {

IdempotencyKeys::Claim IdempotencyKeys::try_claim(std::int64_t token_id, std::string_view key,
                                                  storage::Millis now) {
  std::lock_guard lock(mutex_);
  auto [it, fresh] = entries_.try_emplace({token_id, std::string(key)}, Entry{std::nullopt, now});
  if (fresh) return {};
  auto& entry = it->second;
  if (entry.status_id && now - entry.at <= kLifetime) {
    return {Claim::State::done, *entry.status_id};
  }
  // A claim is held for as long as its request runs (bounded by the request's own deadlines);
  // one older than the lifetime was lost and is taken over.
  if (!entry.status_id && now - entry.at <= kLifetime) return {Claim::State::busy, 0};
  entry = Entry{std::nullopt, now};
  return {};
}

boost::asio::awaitable<std::optional<IdempotencyKeys::Claim>> IdempotencyKeys::claim(
    std::int64_t token_id, std::string key, federation::Clock clock) {
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
  const auto give_up = std::chrono::steady_clock::now() + kMaxWait;
  for (;;) {
    const Claim claimed = try_claim(token_id, key, clock());
    if (claimed.state != Claim::State::busy) co_return claimed;
    if (std::chrono::steady_clock::now() >= give_up) co_return std::nullopt;
    timer.expires_after(std::chrono::milliseconds(20));
    co_await timer.async_wait(boost::asio::use_awaitable);
  }
}

std::optional<std::int64_t> IdempotencyKeys::find(std::int64_t token_id, std::string_view key,
                                                  storage::Millis now) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find({token_id, std::string(key)});
  if (it == entries_.end() || !it->second.status_id) return std::nullopt;
  if (now - it->second.at > kLifetime) {
    entries_.erase(it);
    return std::nullopt;
  }
  return it->second.status_id;
}

void IdempotencyKeys::remember(std::int64_t token_id, std::string_view key,
                               std::int64_t status_id, storage::Millis now) {
  std::lock_guard lock(mutex_);
  if (entries_.size() >= kMaxKeys) {
    // Expired entries go first; if none, the oldest one.
    std::erase_if(entries_, [now](const auto& e) { return now - e.second.at > kLifetime; });
    if (entries_.size() >= kMaxKeys) {
      auto oldest = std::min_element(entries_.begin(), entries_.end(), [](const auto& a, const auto& b) {
        return a.second.at < b.second.at;
      });
      entries_.erase(oldest);
    }
  }
  entries_[{token_id, std::string(key)}] = Entry{status_id, now};
}

void IdempotencyKeys::release(std::int64_t token_id, std::string_view key) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find({token_id, std::string(key)});
  if (it != entries_.end() && !it->second.status_id) entries_.erase(it);
}

}  // namespace civicpub::server::services
