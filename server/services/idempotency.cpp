#include "server/services/idempotency.hpp"

#include <algorithm>

namespace civicpub::server::services {

std::optional<std::int64_t> IdempotencyKeys::find(std::int64_t token_id, std::string_view key,
                                                  storage::Millis now) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find({token_id, std::string(key)});
  if (it == entries_.end()) return std::nullopt;
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

}  // namespace civicpub::server::services
