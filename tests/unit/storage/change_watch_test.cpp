#include "storage/change_watch.hpp"
#include "storage/database.hpp"
#include "tests/unit/support/temp_dir.hpp"

#include <catch2/catch.hpp>

using namespace civicpub;
using namespace civicpub::storage;

TEST_CASE("change watch: the version moves on every commit, by the writer or another process") {
  test::TempDir dir;
  const auto path = dir.file("watched.db");
  DatabaseOptions options;
  options.path = path;
  auto db = Database::open(options);
  REQUIRE(db.has_value());
  auto watch = ChangeWatch::open(path);
  REQUIRE(watch.has_value());
  auto first = (*watch)->version();
  REQUIRE(first);
  CHECK((*watch)->version().value() == *first);  // nothing committed: the same answer

  // The server's own writer.
  REQUIRE((*db)->write_sync([](Connection& c) { return c.exec("CREATE TABLE t (v TEXT)"); }));
  auto second = (*watch)->version();
  REQUIRE(second);
  CHECK(*second != *first);

  // A read changes nothing.
  REQUIRE((*db)->read([](Connection& c) { return c.exec("SELECT count(*) FROM t"); }));
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
