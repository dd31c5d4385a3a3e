// Old processed rows leave the queues (docs/security.md "Inbox and delivery queues"): every
// `interval`, inbox items done or failed and deliveries done or dead longer than `keep` ago are
// deleted, at most `batch` of each per run, so one run never holds the single writer for long and
// a table that grew during a flood shrinks over a few runs. A redelivery of an activity whose
// item was purged is processed again; the handlers are idempotent (issue 11, item 5).
#pragma once

#include "federation/clock.hpp"
#include "storage/database.hpp"

#include <spdlog/logger.h>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <memory>

namespace civicpub::federation {

struct QueuePurgeSettings {
  std::chrono::milliseconds keep{std::chrono::hours(24 * 7)};  // federation.keep_processed_days
  std::chrono::milliseconds interval{std::chrono::hours(1)};
  int batch = 5000;  // rows of each table per run
};

struct PurgeCounts {
  std::int64_t inbox_items = 0;
  std::int64_t deliveries = 0;
};

class QueuePurge {
 public:
  QueuePurge(boost::asio::any_io_executor executor, storage::Database& db, Clock clock,
             QueuePurgeSettings settings, std::shared_ptr<spdlog::logger> log);

  // The first run one minute after start, then every interval; stop() cancels the wait.
  void start();
  void stop();

  // One run now (tests, and the timer).
  boost::asio::awaitable<Result<PurgeCounts>> purge_once();

 private:
  boost::asio::awaitable<void> loop();

  storage::Database& db_;
  Clock clock_;
  QueuePurgeSettings settings_;
  std::shared_ptr<spdlog::logger> log_;
  boost::asio::steady_timer timer_;
  bool stopped_ = false;
};

}  // namespace civicpub::federation
