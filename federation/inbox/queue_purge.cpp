#include "federation/inbox/queue_purge.hpp"

#include "federation/spawn.hpp"
#include "federation/storage_async.hpp"
#include "storage/deliveries.hpp"
#include "storage/inbox_items.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace civicpub::federation {
namespace {

constexpr auto kFirstRunDelay = std::chrono::minutes(1);

// A plain function, not a lambda in the coroutine (GCC 12 destroys its captures twice).
auto purge_job(storage::Millis before, int batch) {
  return [before, batch](storage::Connection& c) -> Result<PurgeCounts> {
    auto items = storage::inbox_items::purge_processed(c, before, batch);
    if (!items) return items.error();
    auto deliveries = storage::deliveries::purge_finished(c, before, batch);
    if (!deliveries) return deliveries.error();
    return PurgeCounts{*items, *deliveries};
  };
}

}  // namespace

QueuePurge::QueuePurge(boost::asio::any_io_executor executor, storage::Database& db, Clock clock,
                       QueuePurgeSettings settings, std::shared_ptr<spdlog::logger> log)
    : db_(db),
      clock_(std::move(clock)),
      settings_(settings),
      log_(std::move(log)),
      timer_(executor) {}

void QueuePurge::start() {
  boost::asio::co_spawn(timer_.get_executor(), loop(),
                        log_escaped_exception(log_, "queue purge"));
}

void QueuePurge::stop() {
  stopped_ = true;
  timer_.cancel();
}

boost::asio::awaitable<Result<PurgeCounts>> QueuePurge::purge_once() {
  const storage::Millis before = clock_() - settings_.keep.count();
  auto purged = co_await write(db_, purge_job(before, settings_.batch));
  if (!purged) {
    log_->warn("queue purge failed: {}", purged.error().message());
  } else if (purged->inbox_items > 0 || purged->deliveries > 0) {
    log_->info("queue purge: {} inbox item(s), {} delivery row(s) removed", purged->inbox_items,
               purged->deliveries);
  }
  co_return purged;
}

boost::asio::awaitable<void> QueuePurge::loop() {
  timer_.expires_after(kFirstRunDelay);
  for (;;) {
    auto [ec] = co_await timer_.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
    if (ec || stopped_) co_return;
    auto purged = co_await purge_once();
    (void)purged;
    timer_.expires_after(settings_.interval);
  }
}

}  // namespace civicpub::federation
