// Keeps the BlockList current while the server runs: `civicpub domain block` and `actor suspend`
// run in another process and change the database; every `interval` this reads one integer
// (moderation_generation, bumped by triggers on every change) and reloads the rules only when it
// moved. So no request ever queries the blocks, and a block takes effect within a second.
#pragma once

#include "federation/remote/domain_blocks.hpp"
#include "storage/database.hpp"

#include <spdlog/logger.h>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>

namespace civicpub::server::services {

class ModerationRefresh {
 public:
  ModerationRefresh(boost::asio::any_io_executor executor, storage::Database& db,
                    std::shared_ptr<federation::BlockList> blocks,
                    std::shared_ptr<spdlog::logger> log,
                    std::chrono::milliseconds interval = std::chrono::seconds(1));

  // Loads the rules now (throws std::runtime_error when the database cannot be read: a server
  // must not start without its blocks), then checks every interval until stop().
  void start();
  void stop();

  // One check: reloads when the generation changed. True when it reloaded.
  Result<bool> refresh_once();

 private:
  boost::asio::awaitable<void> loop();

  storage::Database& db_;
  std::shared_ptr<federation::BlockList> blocks_;
  std::shared_ptr<spdlog::logger> log_;
  std::chrono::milliseconds interval_;
  boost::asio::steady_timer timer_;
  std::optional<std::int64_t> generation_;
  bool stopped_ = false;
};

}  // namespace civicpub::server::services
