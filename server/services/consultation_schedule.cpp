#include "server/services/consultation_schedule.hpp"

#include "federation/spawn.hpp"
#include "federation/storage_async.hpp"
#include "server/services/consultation_votes.hpp"
#include "storage/polls.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace civicpub::server::services {

namespace asio = boost::asio;

namespace {

// A plain function, not a lambda in the coroutine (GCC 12 destroys its captures twice).
auto round_job(storage::Millis now, const ConsultationScheduleSettings& settings) {
  const storage::Millis gap =
      std::chrono::duration_cast<std::chrono::milliseconds>(settings.update_interval).count();
  const int limit = settings.per_round;
  return [now, gap, limit](storage::Connection& c) -> Result<ScheduleRound> {
    auto due = storage::polls::due(c, now, gap, limit);
    if (!due) return due.error();
    ScheduleRound round;
    for (const auto& poll : *due) {
      if (poll.closes_at <= now) {
        // Closed at its deadline (not at the round's time), so a restart after the deadline
        // still reports when voting ended.
        auto queued = close_consultation(c, poll.post_id, poll.closes_at, now);
        if (!queued) return queued.error();
        ++round.closed;
        round.deliveries += *queued;
        continue;
      }
      auto queued = queue_question_update(c, poll.post_id, now);
      if (!queued) return queued.error();
      ++round.updated;
      round.deliveries += *queued;
    }
    return round;
  };
}

}  // namespace

Result<ScheduleRound> run_consultation_round(storage::Database& db, storage::Millis now,
                                             const ConsultationScheduleSettings& settings) {
  return db.write_sync(round_job(now, settings));
}

ConsultationSchedule::ConsultationSchedule(asio::any_io_executor executor, storage::Database& db,
                                           federation::Clock clock,
                                           ConsultationScheduleSettings settings,
                                           std::shared_ptr<spdlog::logger> log,
                                           std::function<void()> on_enqueued)
    : executor_(executor),
      db_(db),
      clock_(std::move(clock)),
      settings_(settings),
      log_(std::move(log)),
      on_enqueued_(std::move(on_enqueued)),
      timer_(executor) {}

void ConsultationSchedule::start() {
  asio::co_spawn(executor_, rounds(),
                 federation::log_escaped_exception(log_, "consultation timer"));
}

void ConsultationSchedule::stop() {
  timer_.cancel();
}

asio::awaitable<void> ConsultationSchedule::rounds() {
  std::chrono::steady_clock::duration wait = std::chrono::milliseconds(0);  // at once
  for (;;) {
    timer_.expires_after(wait);
    wait = settings_.tick;
    boost::system::error_code ec;
    co_await timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;  // cancelled: shutting down
    auto round = co_await federation::write(db_, round_job(clock_(), settings_));
    if (!round) {
      log_->warn("consultations: round failed: {}", round.error().message());
      continue;
    }
    if (round->closed > 0) log_->info("consultations: {} closed at their deadline", round->closed);
    if (round->deliveries > 0 && on_enqueued_) on_enqueued_();
  }
}

}  // namespace civicpub::server::services
