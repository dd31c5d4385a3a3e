// What a service does with the delivery queue, for tests that only need rows queued: one write
// that calls federation::enqueue_activity, then the delivery worker's wake-up when rows were
// added (as the services do after their commit).
#pragma once

#include "federation/clock.hpp"
#include "federation/delivery/outbox.hpp"
#include "storage/database.hpp"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace civicpub::test {

class Enqueuer {
 public:
  Enqueuer(storage::Database& db, federation::Clock clock, std::function<void()> notify = {})
      : db_(db), clock_(std::move(clock)), notify_(std::move(notify)) {}

  Result<std::size_t> enqueue_now(std::string_view activity_id, std::int64_t actor_id,
                                  std::string_view body, const std::vector<std::string>& inboxes) {
    const auto now = clock_();
    auto inserted = db_.write_sync([&](storage::Connection& conn) {
      return federation::enqueue_activity(conn, activity_id, actor_id, body, inboxes, now);
    });
    if (inserted && *inserted > 0 && notify_) notify_();
    return inserted;
  }

 private:
  storage::Database& db_;
  federation::Clock clock_;
  std::function<void()> notify_;
};

}  // namespace civicpub::test
