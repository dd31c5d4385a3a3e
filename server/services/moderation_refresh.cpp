#include "server/services/moderation_refresh.hpp"

#include "federation/spawn.hpp"
#include "server/services/moderation.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <stdexcept>

namespace civicpub::server::services {

ModerationRefresh::ModerationRefresh(boost::asio::any_io_executor executor, storage::Database& db,
                                     std::shared_ptr<federation::BlockList> blocks,
                                     std::shared_ptr<spdlog::logger> log,
                                     std::chrono::milliseconds interval)
    : db_(db),
      blocks_(std::move(blocks)),
      log_(std::move(log)),
      interval_(interval),
      timer_(executor) {}

void ModerationRefresh::start() {
  if (auto first = refresh_once(); !first) {
    throw std::runtime_error("cannot read the domain blocks: " + first.error().message());
  }
  boost::asio::co_spawn(timer_.get_executor(), loop(),
                        federation::log_escaped_exception(log_, "moderation refresh"));
}

void ModerationRefresh::stop() {
  stopped_ = true;
  timer_.cancel();
}

Result<bool> ModerationRefresh::refresh_once() {
  auto current = db_.read(
      [](storage::Connection& conn) { return storage::moderation::generation(conn); });
  if (!current) return Result<bool>(boost::system::in_place_error, current.error());
  if (generation_ && *generation_ == *current) return false;
  auto loaded = load_block_list(db_, *blocks_);
  if (!loaded) return Result<bool>(boost::system::in_place_error, loaded.error());
  if (generation_) log_->info("domain blocks and suspensions reloaded (generation {})", *loaded);
  generation_ = *loaded;
  return true;
}

boost::asio::awaitable<void> ModerationRefresh::loop() {
  for (;;) {
    timer_.expires_after(interval_);
    auto [ec] = co_await timer_.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
    if (ec || stopped_) co_return;
    if (auto r = refresh_once(); !r) {
      log_->warn("reloading the domain blocks failed: {}", r.error().message());
    }
  }
}

}  // namespace civicpub::server::services
