#include "tests/unit/storage/fixtures.hpp"
#include "storage/statement.hpp"
#include "storage/statement_cache.hpp"

#include <string>

using namespace civicpub::storage;
using detail::cached_statement_count;

namespace {
Connection numbers_db(int rows) {
  auto conn = Connection::open(":memory:");
  REQUIRE(conn);
  REQUIRE(conn->exec("CREATE TABLE n (i INTEGER)"));
  for (int i = 1; i <= rows; ++i) {
    REQUIRE(conn->exec("INSERT INTO n VALUES (" + std::to_string(i) + ")"));
  }
  return std::move(*conn);
}

constexpr const char* kSelect = "SELECT i FROM n WHERE i >= ?1 ORDER BY i";
}  // namespace

TEST_CASE("statement cache: a statement is given back and handed out again, reset") {
  auto conn = numbers_db(3);
  {
    auto first = Statement::prepare(conn, kSelect);
    REQUIRE(first);
    first->bind(1, 2);
    auto row = first->step();
    REQUIRE(row);
    CHECK(*row);
    CHECK(first->column_int64(0) == 2);
    // Dropped half-way through its rows.
  }
  CHECK(cached_statement_count(conn.handle()) == 1);
  auto again = Statement::prepare(conn, kSelect);
  REQUIRE(again);
  CHECK(cached_statement_count(conn.handle()) == 0);
  // From the first row, and without the old binding (NULL: no row is >= NULL).
  auto row = again->step();
  REQUIRE(row);
  CHECK_FALSE(*row);
  again->reset();
  again->bind(1, 1);
  row = again->step();
  REQUIRE(row);
  REQUIRE(*row);
  CHECK(again->column_int64(0) == 1);
}

TEST_CASE("statement cache: two uses of the same SQL at once get two statements") {
  auto conn = numbers_db(2);
  auto outer = Statement::prepare(conn, kSelect);
  REQUIRE(outer);
  outer->bind(1, 1);
  auto outer_row = outer->step();
  REQUIRE(outer_row);
  REQUIRE(*outer_row);
  {
    auto inner = Statement::prepare(conn, kSelect);
    REQUIRE(inner);
    inner->bind(1, 2);
    auto inner_row = inner->step();
    REQUIRE(inner_row);
    REQUIRE(*inner_row);
    CHECK(inner->column_int64(0) == 2);
  }
  CHECK(outer->column_int64(0) == 1);
  outer_row = outer->step();
  REQUIRE(outer_row);
  REQUIRE(*outer_row);
  CHECK(outer->column_int64(0) == 2);
}

TEST_CASE("statement cache: a node freed by one SQL text keeps another's statement under its own "
          "text") {
  auto conn = numbers_db(3);
  constexpr const char* kCount = "SELECT count(*) FROM n";
  { auto warm = Statement::prepare(conn, kSelect); }  // kept under kSelect
  auto select = Statement::prepare(conn, kSelect);   // taken: its map node is kept spare
  REQUIRE(select);
  { auto count = Statement::prepare(conn, kCount); }  // given back in kSelect's old node
  CHECK(cached_statement_count(conn.handle()) == 1);
  // The kept statement is found by its own text, runs its own query, and not by the other's.
  auto count = Statement::prepare(conn, kCount);
  REQUIRE(count);
  CHECK(cached_statement_count(conn.handle()) == 0);
  auto row = count->step();
  REQUIRE(row);
  REQUIRE(*row);
  CHECK(count->column_int64(0) == 3);
}

TEST_CASE("statement cache: bounded per connection, emptied when the connection closes") {
  auto conn = numbers_db(1);
  for (std::size_t i = 0; i < detail::kStatementsPerConnection + 10; ++i) {
    auto s = Statement::prepare(conn, "SELECT i + " + std::to_string(i) + " FROM n");
    REQUIRE(s);
  }
  CHECK(cached_statement_count(conn.handle()) == detail::kStatementsPerConnection);
  sqlite3* handle = conn.handle();
  { Connection closed = std::move(conn); }
  CHECK(cached_statement_count(handle) == 0);
}

TEST_CASE("statement cache: a statement outliving its connection is finalized, not kept") {
  std::optional<Statement> leaked;
  sqlite3* handle = nullptr;
  {
    auto conn = numbers_db(1);
    handle = conn.handle();
    auto s = Statement::prepare(conn, kSelect);
    REQUIRE(s);
    leaked.emplace(std::move(*s));
  }
  leaked.reset();  // finalized: close_v2 frees the connection now
  CHECK(cached_statement_count(handle) == 0);
}
