#include "tests/unit/storage/fixtures.hpp"
#include "storage/statement.hpp"
#include "storage/tombstones.hpp"

using namespace civicpub::storage;

TEST_CASE("tombstones: add is idempotent and contains finds only what was added") {
  auto conn = test::memory_db();
  CHECK_FALSE(tombstones::contains(conn, "https://a.example/notes/1").value());
  REQUIRE(tombstones::add(conn, "https://a.example/notes/1", 100));
  REQUIRE(tombstones::add(conn, "https://a.example/notes/1", 200));
  CHECK(tombstones::contains(conn, "https://a.example/notes/1").value());
  CHECK_FALSE(tombstones::contains(conn, "https://a.example/notes/2").value());
  auto s = Statement::prepare(conn, "SELECT deleted_at FROM tombstones");
  REQUIRE(s);
  REQUIRE(s->step().value());
  CHECK(s->column_int64(0) == 100);  // the first deletion time is kept
}

TEST_CASE("tombstones: errors surface as values") {
  auto conn = test::memory_db();
  REQUIRE(conn.exec("DROP TABLE tombstones"));
  CHECK(tombstones::add(conn, "u", 1).error() == Errc::misuse);
  CHECK(tombstones::contains(conn, "u").error() == Errc::misuse);
}
