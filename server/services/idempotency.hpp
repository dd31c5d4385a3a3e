// Idempotency-Key of POST /api/v1/statuses (Mastodon keeps them an hour): the same key from the
// same token within the hour answers the status the first request made instead of posting
// again. Kept in memory (a restart forgets them; each process has its own), bounded.
#pragma once

#include "federation/clock.hpp"

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace civicpub::server::services {

class IdempotencyKeys {
 public:
  static constexpr storage::Millis kLifetime = 60 * 60 * 1000;
  static constexpr std::size_t kMaxKeys = 10'000;
  static constexpr std::size_t kMaxKeyLength = 256;

  // The status id remembered for (token, key) within the hour.
  std::optional<std::int64_t> find(std::int64_t token_id, std::string_view key,
                                   storage::Millis now);
  // Remembers it; past kMaxKeys the oldest entries are dropped.
  void remember(std::int64_t token_id, std::string_view key, std::int64_t status_id,
                storage::Millis now);

 private:
  struct Entry {
    std::int64_t status_id;
    storage::Millis at;
  };
  std::mutex mutex_;
  std::map<std::pair<std::int64_t, std::string>, Entry> entries_;
};

}  // namespace civicpub::server::services
