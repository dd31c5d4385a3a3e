#include "storage/change_watch.hpp"
#include "storage/database.hpp"
#include "tests/unit/support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>

using namespace civicpub;
using namespace civicpub::storage;

namespace {

// The database file at `path`, opened as the server opens it.
std::unique_ptr<Database> open_db(const std::string& path) {
  DatabaseOptions options;
  options.path = path;
  auto db = Database::open(options);
  REQUIRE(db.has_value());
  return std::move(*db);
}

// The same, with the table the epoch tests write to.
std::unique_ptr<Database> open_db_with_table(const std::string& path) {
  auto db = open_db(path);
  REQUIRE(db->write_sync([](Connection& c) { return c.exec("CREATE TABLE t (v TEXT)"); }));
  return db;
}

}  // namespace

TEST_CASE("change watch: the version moves on every commit, by the writer or another process") {
  test::TempDir dir;
  const auto path = dir.file("watched.db");
  auto db = open_db(path);
  auto watch = ChangeWatch::open(path);
  REQUIRE(watch.has_value());
  auto first = (*watch)->version();
  REQUIRE(first);
  CHECK((*watch)->version().value() == *first);  // nothing committed: the same answer

  // The server's own writer.
  REQUIRE(db->write_sync([](Connection& c) { return c.exec("CREATE TABLE t (v TEXT)"); }));
  auto second = (*watch)->version();
  REQUIRE(second);
  CHECK(*second != *first);

  // A read changes nothing.
  REQUIRE(db->read([](Connection& c) { return c.exec("SELECT count(*) FROM t"); }));
  CHECK((*watch)->version().value() == *second);

  // Another connection, as a `civicpub` command in another process writes.
  auto other = Connection::open(path);
  REQUIRE(other.has_value());
  REQUIRE(other->exec("INSERT INTO t VALUES ('from the CLI')"));
  auto third = (*watch)->version();
  REQUIRE(third);
  CHECK(*third != *second);

  // A transaction rolled back commits nothing.
  REQUIRE(other->exec("BEGIN; INSERT INTO t VALUES ('undone'); ROLLBACK"));
  CHECK((*watch)->version().value() == *third);
}

TEST_CASE("change watch: a private in-memory database cannot be watched") {
  auto watch = ChangeWatch::open(":memory:");
  REQUIRE_FALSE(watch);
  CHECK(watch.error() == Errc::misuse);
}

namespace {

// The clock of the epoch tests: moved by hand.
std::atomic<std::int64_t> fake_now_ms{1'000};
ChangeWatch::Clock::time_point fake_now() {
  return ChangeWatch::Clock::time_point(std::chrono::milliseconds(fake_now_ms.load()));
}

}  // namespace

TEST_CASE("change watch: the epoch moves at once on our commits, within `recheck` on others'") {
  test::TempDir dir;
  const auto path = dir.file("epoch.db");
  auto db = open_db_with_table(path);
  auto watch = ChangeWatch::open(
      path, [d = db.get()] { return d->transactions_committed(); }, std::chrono::milliseconds(1),
      &fake_now);
  REQUIRE(watch.has_value());
  auto& w = **watch;

  const auto first = w.epoch();
  REQUIRE(first);
  CHECK(w.epoch() == first);  // nothing committed, the clock still

  // Our writer's commit: seen at once, however recently data_version was asked.
  REQUIRE(db->write_sync([](Connection& c) { return c.exec("INSERT INTO t VALUES ('ours')"); }));
  const auto second = w.epoch();
  REQUIRE(second);
  CHECK(*second != *first);
  CHECK(w.epoch() == second);

  // Another process's commit: seen once `recheck` has passed since data_version was last asked.
  auto other = Connection::open(path);
  REQUIRE(other.has_value());
  REQUIRE(other->exec("INSERT INTO t VALUES ('from the CLI')"));
  CHECK(w.epoch() == second);  // not yet asked again: the clock has not moved
  fake_now_ms += 1;
  const auto third = w.epoch();
  REQUIRE(third);
  CHECK(*third != *second);

  // Time passing and a read change nothing.
  REQUIRE(db->read([](Connection& c) { return c.exec("SELECT count(*) FROM t"); }));
  fake_now_ms += 5;
  CHECK(w.epoch() == third);
}

TEST_CASE("change watch: with a zero recheck every other commit is seen at once") {
  test::TempDir dir;
  const auto path = dir.file("exact.db");
  auto db = open_db_with_table(path);
  auto watch = ChangeWatch::open(path);
  REQUIRE(watch.has_value());
  const auto before = (*watch)->epoch();
  REQUIRE(before);
  auto other = Connection::open(path);
  REQUIRE(other.has_value());
  REQUIRE(other->exec("INSERT INTO t VALUES ('from the CLI')"));
  const auto after = (*watch)->epoch();
  REQUIRE(after);
  CHECK(*after != *before);
  CHECK((*watch)->epoch() == after);
}
