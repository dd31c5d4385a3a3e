// Hands every notification to the streaming API once the transaction that stored it has
// committed (issue 13). Notifications come into being in many writes (services::notify, called
// by posting, following, favouriting and by the inbound handlers); rather than each caller
// telling the hub, the relay watches the notifications table itself (storage::notifications::
// watch_inserts, SQLite's update hook on the writer connection). The hook runs inside the
// transaction, where the row may still be rolled back and where nothing may block, so it only
// remembers the id and queues an empty write behind the current batch: the writer runs that one
// after the batch has committed, and its completion hands the ids over. The rows are then read
// back on the executor (a rolled-back one is simply not found), rendered as Mastodon
// Notification entities for their account and published to its user and user:notification
// streams. Notifications of accounts with no open stream are not even read.
#pragma once

#include "federation/as2/instance_info.hpp"
#include "storage/database.hpp"
#include "storage/notification_watch.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <spdlog/logger.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace civicpub::server::services {

struct NotificationOutlet {
  // Does anyone listen for `account_id`'s notifications? (Thread-safe.)
  std::function<bool(std::int64_t account_id)> wanted;
  // The Notification entity as JSON, for `account_id`. (Thread-safe.)
  std::function<void(std::int64_t account_id, const std::string& json)> publish;
};

class NotificationRelay {
 public:
  // Starts watching at once (a write job installs the hook; throws std::runtime_error when the
  // database is closed). Reads and rendering run on `executor`.
  NotificationRelay(storage::Database& db, const federation::as2::InstanceInfo& instance,
                    boost::asio::any_io_executor executor, NotificationOutlet outlet,
                    std::shared_ptr<spdlog::logger> log);
  // Stops watching (the database must still be open).
  ~NotificationRelay();
  NotificationRelay(const NotificationRelay&) = delete;
  NotificationRelay& operator=(const NotificationRelay&) = delete;

 private:
  struct State;
  storage::Database& db_;
  std::shared_ptr<State> state_;
  storage::notifications::InsertListener listener_;
};

}  // namespace civicpub::server::services
