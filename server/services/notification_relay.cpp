#include "server/services/notification_relay.hpp"

#include "server/views/api_notifications.hpp"
#include "server/views/error.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

#include <algorithm>
#include <mutex>
#include <stdexcept>
#include <vector>

namespace civicpub::server::services {
namespace asio = boost::asio;

struct NotificationRelay::State : std::enable_shared_from_this<State> {
  State(storage::Database& db_in, const federation::as2::InstanceInfo& instance_in,
        asio::any_io_executor executor, NotificationOutlet outlet_in,
        std::shared_ptr<spdlog::logger> log_in)
      : db(db_in),
        instance(instance_in),
        strand(asio::make_strand(std::move(executor))),
        outlet(std::move(outlet_in)),
        log(std::move(log_in)) {}

  storage::Database& db;
  const federation::as2::InstanceInfo& instance;
  asio::strand<asio::any_io_executor> strand;  // publishes in the order the rows were stored
  NotificationOutlet outlet;
  std::shared_ptr<spdlog::logger> log;
  std::mutex mutex;
  std::vector<std::int64_t> pending;  // ids inserted since the last hand-over
  bool barrier_queued = false;

  // On the writer thread, inside the transaction that inserts row `id`.
  void inserted(std::int64_t id) {
    bool queue_barrier = false;
    {
      std::lock_guard lock(mutex);
      pending.push_back(id);
      queue_barrier = !std::exchange(barrier_queued, true);
    }
    if (!queue_barrier) return;
    // The batch running now was taken off the queue already: this job runs in a later one, so
    // its completion comes after the current transaction committed (or rolled back).
    db.write_async([](storage::Connection&) -> Result<void> { return {}; },
                   [self = shared_from_this()](Result<void>) { self->committed(); });
  }

  // On the writer thread, after the commit.
  void committed() {
    std::vector<std::int64_t> ids;
    {
      std::lock_guard lock(mutex);
      ids.swap(pending);
      barrier_queued = false;
    }
    asio::post(strand, [self = shared_from_this(), ids = std::move(ids)] { self->publish(ids); });
  }

  void publish(std::vector<std::int64_t> ids) {
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    for (const auto id : ids) {
      auto found = db.read([id](storage::Connection& conn) {
        return storage::notifications::find_by_id(conn, id);
      });
      if (!found) {
        log->warn("streaming: reading notification {} failed: {}", id, found.error().message());
        continue;
      }
      if (!*found) continue;  // rolled back, or already dismissed
      const auto account = (*found)->account_id;
      if (outlet.wanted && !outlet.wanted(account)) continue;
      auto json = views::notification_json(db, account, std::to_string(id),
                                            views::ApiView{instance, account});
      if (!json) {
        // not_found: its post was deleted or is no longer visible; the REST list skips it too.
        if (json.error() != views::ViewError::not_found) {
          log->warn("streaming: rendering notification {} failed: {}", id, json.error().message());
        }
        continue;
      }
      outlet.publish(account, *json);
    }
  }
};

NotificationRelay::NotificationRelay(storage::Database& db,
                                     const federation::as2::InstanceInfo& instance,
                                     asio::any_io_executor executor, NotificationOutlet outlet,
                                     std::shared_ptr<spdlog::logger> log)
    : db_(db),
      state_(std::make_shared<State>(db, instance, std::move(executor), std::move(outlet),
                                     std::move(log))) {
  listener_ = [state = state_.get()](std::int64_t id) { state->inserted(id); };
  auto watching = db_.write_sync([this](storage::Connection& conn) -> Result<void> {
    storage::notifications::watch_inserts(conn, &listener_);
    return {};
  });
  if (!watching) {
    throw std::runtime_error("cannot watch notifications: " + watching.error().message());
  }
}

NotificationRelay::~NotificationRelay() {
  (void)db_.write_sync([](storage::Connection& conn) -> Result<void> {
    storage::notifications::watch_inserts(conn, nullptr);
    return {};
  });
}

}  // namespace civicpub::server::services
