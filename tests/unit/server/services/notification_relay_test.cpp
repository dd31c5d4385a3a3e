// The notification relay (issue 13): every notification stored, whichever write stored it, is
// handed to the streaming outlet after its commit as a Mastodon Notification entity; a
// notification whose write was rolled back never is, nor one of an account nobody streams.
#include "server/services/notification_relay.hpp"

#include "server/services/notifications.hpp"
#include "storage/errors.hpp"
#include "tests/unit/server/services/services_fixture.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <mutex>

using namespace civicpub;
using server::services::NotificationType;

namespace {

struct Published {
  std::mutex mutex;
  std::vector<std::pair<std::int64_t, std::string>> items;

  std::size_t size() {
    std::lock_guard lock(mutex);
    return items.size();
  }
};

struct RelayWorld : testing::ServicesFixture {
  boost::asio::io_context ioc;
  Published published;
  std::int64_t watched = 0;  // the account with an open stream
  federation::as2::InstanceInfo info = instance();
  std::int64_t resident = 0;

  RelayWorld() {
    server::services::NewAccount account{"resident", server::services::AccountType::person,
                                         "Resident", "", kNow};
    resident =
        server::services::create_local_account(*db, {"https://town.example", "town.example"},
                                               account)
            .value()
            .id;
    watched = town.id;
  }

  // The database first: a write job still queued holds the relay's state, whose strand belongs
  // to `ioc`, so it must be run and destroyed before `ioc` is (ASan saw a use after free when
  // the writer freed such a job after this fixture's members were gone).
  ~RelayWorld() { db->close(); }

  server::services::NotificationOutlet outlet() {
    return {[this](std::int64_t account) { return account == watched; },
            [this](std::int64_t account, const std::string& json) {
              std::lock_guard lock(published.mutex);
              published.items.emplace_back(account, json);
            }};
  }

  Result<bool> notify(std::int64_t account, NotificationType type, std::int64_t from,
                      bool then_fail = false) {
    return db->write_sync([&](storage::Connection& c) -> Result<bool> {
      auto told = server::services::notify(c, account, type, from, std::nullopt, now);
      if (then_fail) {
        return Result<bool>(boost::system::in_place_error,
                            make_error_code(storage::Errc::internal));
      }
      return told;
    });
  }

  // Runs the io_context until `count` items were published (generous deadline, no fixed wait).
  void wait_for(std::size_t count) {
    auto work = boost::asio::make_work_guard(ioc);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (published.size() < count && std::chrono::steady_clock::now() < deadline) {
      ioc.run_one_for(std::chrono::milliseconds(50));
    }
    REQUIRE(published.size() >= count);
  }
};

}  // namespace

TEST_CASE_METHOD(RelayWorld, "relay: a committed notification reaches the outlet as an entity") {
  server::services::NotificationRelay relay(*db, info, ioc.get_executor(), outlet(),
                                            std::make_shared<spdlog::logger>("relay-test"));
  REQUIRE(notify(town.id, NotificationType::follow, resident).value());
  wait_for(1);
  std::lock_guard lock(published.mutex);
  REQUIRE(published.items.size() == 1);
  CHECK(published.items[0].first == town.id);
  const auto& json = published.items[0].second;
  CHECK(json.find(R"("type":"follow")") != std::string::npos);
  CHECK(json.find(R"("username":"resident")") != std::string::npos);
  CHECK(json.find(R"("id":")") == 1);  // a string id first, as the REST entity
}

TEST_CASE_METHOD(RelayWorld, "relay: a notification whose write was rolled back is not published") {
  server::services::NotificationRelay relay(*db, info, ioc.get_executor(), outlet(),
                                            std::make_shared<spdlog::logger>("relay-test"));
  // Stored, then the job failed: its savepoint rolled the row back.
  CHECK_FALSE(notify(town.id, NotificationType::follow, resident, true));
  REQUIRE(notify(town.id, NotificationType::follow_request, resident).value());
  wait_for(1);
  // The hand-overs run in order on one strand: once the last one arrived, nothing else will.
  std::lock_guard lock(published.mutex);
  for (const auto& [account, json] : published.items) {
    CHECK(account == town.id);
    CHECK(json.find(R"("type":"follow_request")") != std::string::npos);
  }
}

TEST_CASE_METHOD(RelayWorld, "relay: an account nobody streams is not even rendered") {
  server::services::NotificationRelay relay(*db, info, ioc.get_executor(), outlet(),
                                            std::make_shared<spdlog::logger>("relay-test"));
  REQUIRE(notify(resident, NotificationType::follow, town.id).value());
  REQUIRE(notify(town.id, NotificationType::follow, resident).value());
  wait_for(1);
  std::lock_guard lock(published.mutex);
  REQUIRE(published.items.size() == 1);
  CHECK(published.items[0].first == town.id);
}
