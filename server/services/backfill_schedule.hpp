// When civicpub completes remote threads by itself (FEDERATION.md "Backfill"): a first round five
// seconds after start-up (a restart catches up at once), then one round every interval, each
// backfilling a few of the remote threads that were active within the window; and single threads
// on request (a reader opened the thread's page). Each backfill keeps its own budget and
// cooldowns (federation::RemotePosts::backfill).
#pragma once

#include "federation/clock.hpp"
#include "federation/remote/post_fetcher.hpp"
#include "storage/database.hpp"

#include <spdlog/logger.h>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <memory>
#include <string>

namespace civicpub::server::services {

struct BackfillScheduleSettings {
  std::chrono::minutes interval{60};  // 0: no rounds (single threads still run)
  int active_days = 7;
  int threads_per_round = 20;
};

class BackfillSchedule {
 public:
  BackfillSchedule(boost::asio::any_io_executor executor, storage::Database& db,
                   federation::PostFetcher& fetcher, federation::Clock clock,
                   BackfillScheduleSettings settings, std::shared_ptr<spdlog::logger> log);

  // Starts the rounds (none when the interval is 0); stop() cancels the wait for the next one.
  void start();
  void stop();

  // Backfills the thread of `uri` now, in the background (the /remote/{row} page's trigger).
  void backfill_soon(std::string uri);

 private:
  boost::asio::awaitable<void> rounds();
  boost::asio::awaitable<void> backfill_one(std::string uri);

  boost::asio::any_io_executor executor_;
  storage::Database& db_;
  federation::PostFetcher& fetcher_;
  federation::Clock clock_;
  BackfillScheduleSettings settings_;
  std::shared_ptr<spdlog::logger> log_;
  boost::asio::steady_timer timer_;
};

}  // namespace civicpub::server::services
