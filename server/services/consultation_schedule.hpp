// The running server's consultation clock (issue 14): every `tick` it closes the consultations
// whose deadline has passed (with the final Update(Question) to the audience and every voter)
// and sends the Update(Question) owed after new votes, at most one per consultation per
// `update_interval` (consultations.update_interval_seconds). The first round runs at start-up,
// so consultations that closed while the server was down are closed at once, and counts owed
// before a restart go out.
#pragma once

#include "federation/clock.hpp"
#include "storage/database.hpp"

#include <spdlog/logger.h>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <functional>
#include <memory>

namespace civicpub::server::services {

struct ConsultationScheduleSettings {
  std::chrono::seconds update_interval{30};
  std::chrono::milliseconds tick{1000};
  int per_round = 50;  // consultations handled per tick at most
};

struct ScheduleRound {
  std::size_t closed = 0;
  std::size_t updated = 0;     // Update(Question) for new counts
  std::size_t deliveries = 0;  // delivery rows queued
};

// One round at `now`: what the timer runs, and what tests call directly.
Result<ScheduleRound> run_consultation_round(storage::Database& db, storage::Millis now,
                                             const ConsultationScheduleSettings& settings);

class ConsultationSchedule {
 public:
  // `on_enqueued` wakes the delivery worker after a round queued deliveries.
  ConsultationSchedule(boost::asio::any_io_executor executor, storage::Database& db,
                       federation::Clock clock, ConsultationScheduleSettings settings,
                       std::shared_ptr<spdlog::logger> log, std::function<void()> on_enqueued);

  void start();
  void stop();

 private:
  boost::asio::awaitable<void> rounds();

  boost::asio::any_io_executor executor_;
  storage::Database& db_;
  federation::Clock clock_;
  ConsultationScheduleSettings settings_;
  std::shared_ptr<spdlog::logger> log_;
  std::function<void()> on_enqueued_;
  boost::asio::steady_timer timer_;
};

}  // namespace civicpub::server::services
