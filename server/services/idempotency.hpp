// Idempotency-Key of POST /api/v1/statuses (Mastodon keeps them an hour): the same key from the
// same token within the hour answers the status the first request made instead of posting
// again. Concurrent requests with one key post once: the first claims the key, the others wait
// until it remembered its status (then answer that one) or released the key (then one of them
// claims it). Mastodon checks its key without a lock and can post twice in that race. Kept in
// memory (a restart forgets them; each process has its own), bounded.
#pragma once

#include "federation/clock.hpp"

#include <boost/asio/awaitable.hpp>

#include <chrono>
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
  // How long a request waits for another one with its key (then it answers 503, retryable).
  static constexpr std::chrono::seconds kMaxWait{30};

  struct Claim {
    enum class State { mine, done, busy };
    State state = State::mine;
    std::int64_t status_id = 0;  // done
  };
  // mine: this request now holds the key and must remember() or release() it; done: the status
  // remembered within the hour; busy: another request holds it.
  Claim try_claim(std::int64_t token_id, std::string_view key, storage::Millis now);
  // try_claim until it is not busy (re-checked every 20 ms, up to kMaxWait: then nullopt).
  boost::asio::awaitable<std::optional<Claim>> claim(std::int64_t token_id, std::string key,
                                                     federation::Clock clock);

  // The status id remembered for (token, key) within the hour.
  std::optional<std::int64_t> find(std::int64_t token_id, std::string_view key,
                                   storage::Millis now);
  // Remembers it (ending a claim); past kMaxKeys the oldest entries are dropped.
  void remember(std::int64_t token_id, std::string_view key, std::int64_t status_id,
                storage::Millis now);
  // Gives a claimed key up (the request failed): a waiting request may claim it.
  void release(std::int64_t token_id, std::string_view key);

 private:
  struct Entry {
    std::optional<std::int64_t> status_id;  // empty: claimed, the post is being made
    storage::Millis at;
  };
  std::mutex mutex_;
  std::map<std::pair<std::int64_t, std::string>, Entry> entries_;
};

}  // namespace civicpub::server::services
