#include "server/services/backfill_schedule.hpp"

#include "federation/spawn.hpp"
#include "storage/posts.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>

namespace civicpub::server::services {

namespace asio = boost::asio;

BackfillSchedule::BackfillSchedule(asio::any_io_executor executor, storage::Database& db,
                                   federation::PostFetcher& fetcher, federation::Clock clock,
                                   BackfillScheduleSettings settings,
                                   std::shared_ptr<spdlog::logger> log)
    : executor_(executor),
      db_(db),
      fetcher_(fetcher),
      clock_(std::move(clock)),
      settings_(settings),
      log_(std::move(log)),
      timer_(executor) {}

void BackfillSchedule::start() {
  if (settings_.interval.count() <= 0) return;
  asio::co_spawn(executor_, rounds(), federation::log_escaped_exception(log_, "backfill timer"));
}

void BackfillSchedule::stop() {
  timer_.cancel();
}

void BackfillSchedule::backfill_soon(std::string uri) {
  asio::co_spawn(executor_, backfill_one(std::move(uri)),
                 federation::log_escaped_exception(log_, "page backfill"));
}

asio::awaitable<void> BackfillSchedule::rounds() {
  const storage::Millis window = std::int64_t{settings_.active_days} * 24 * 60 * 60 * 1000;
  // The first round comes soon after start-up (a restart catches up at once), then one per
  // interval.
  std::chrono::steady_clock::duration wait =
      std::min<std::chrono::steady_clock::duration>(settings_.interval, std::chrono::seconds(5));
  for (;;) {
    timer_.expires_after(wait);
    wait = settings_.interval;
    boost::system::error_code ec;
    co_await timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;  // cancelled: shutting down
    const auto since = clock_() - window;
    const int limit = settings_.threads_per_round;
    auto threads = db_.read([since, limit](storage::Connection& c) {
      return storage::posts::active_remote_threads(c, since, limit);
    });
    if (!threads) {
      log_->warn("backfill: cannot list active threads: {}", threads.error().message());
      continue;
    }
    std::size_t fetched = 0;
    for (const auto& uri : *threads) {
      auto counts = co_await fetcher_.backfill(uri);
      if (counts) fetched += counts->fetched;
    }
    if (fetched > 0) {
      log_->info("backfill: {} post(s) fetched for {} active thread(s)", fetched,
                 threads->size());
    }
  }
}

asio::awaitable<void> BackfillSchedule::backfill_one(std::string uri) {
  auto counts = co_await fetcher_.backfill(uri);
  if (!counts) {
    log_->info("backfill of the thread of {}: {}", uri, counts.error().message());
  } else if (counts->fetched > 0) {
    log_->info("backfill of the thread of {}: {} post(s) fetched", uri, counts->fetched);
  }
}

}  // namespace civicpub::server::services
