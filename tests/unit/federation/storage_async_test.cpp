#include "federation/storage_async.hpp"

#include "storage/actors.hpp"
#include "storage/errors.hpp"

#include "tests/unit/support/run.hpp"

#include <catch2/catch.hpp>

#include <thread>

namespace asio = boost::asio;
using namespace civicpub;

namespace {

storage::ActorRecord sample(const std::string& name) {
  storage::ActorRecord a;
  a.uri = "https://town.example/users/" + name;
  a.type = "Person";
  a.username = name;
  a.domain = "town.example";
  a.inbox = a.uri + "/inbox";
  a.created_at = a.updated_at = 1;
  return a;
}

}  // namespace

TEST_CASE("a coroutine awaits a storage write and resumes on its own executor after commit") {
  auto opened = storage::Database::open({});
  REQUIRE(opened.has_value());
  auto& db = **opened;
  bool finished = false;
  std::thread::id resumed_on;
  std::int64_t id = 0;
  Result<std::int64_t> duplicate = 0;

  auto body = [&]() -> asio::awaitable<void> {
    auto r = co_await federation::write(
        db, [](storage::Connection& c) { return storage::actors::insert_local(c, sample("mayor")); });
    resumed_on = std::this_thread::get_id();
    REQUIRE(r.has_value());
    id = *r;
    // Committed: a read sees it right away.
    auto found = db.read([&](storage::Connection& c) { return storage::actors::find_by_id(c, id); });
    REQUIRE(found.has_value());
    CHECK(found->has_value());
    duplicate = co_await federation::write(
        db, [](storage::Connection& c) { return storage::actors::insert_local(c, sample("MAYOR")); });
    finished = true;
  };
  // test::run fails when the io_context runs out of work first: the pending write must keep it
  // alive until the coroutine is done.
  test::run(body);
  CHECK(finished);
  CHECK(resumed_on == std::this_thread::get_id());  // the io_context thread, not the writer
  CHECK(id > 0);
  REQUIRE_FALSE(duplicate.has_value());
  CHECK(duplicate.error() == storage::Errc::conflict);
}

TEST_CASE("awaiting a write on a closed database yields Errc::closed") {
  auto opened = storage::Database::open({});
  REQUIRE(opened.has_value());
  (*opened)->close();
  Result<int> result = 0;
  auto body = [&]() -> asio::awaitable<void> {
    result = co_await federation::write(**opened, [](storage::Connection&) -> Result<int> { return 1; });
  };
  test::run(body);
  REQUIRE_FALSE(result.has_value());
  CHECK(result.error() == storage::Errc::closed);
}
