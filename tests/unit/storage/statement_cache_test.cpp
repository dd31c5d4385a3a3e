#include "tests/unit/storage/fixtures.hpp"
#include "storage/statement.hpp"
#include "storage/statement_cache.hpp"

#include <optional>
#include <string>
#include <thread>
#include <vector>

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

TEST_CASE("statement cache: connections beyond its table still work, without kept statements") {
  // The cache has a slot for each of 64 connections open at once (a server opens about six).
  std::vector<Connection> open;
  for (int i = 0; i < 70; ++i) open.push_back(numbers_db(3));
  std::size_t cached = 0;
  for (auto& conn : open) {
    auto s = Statement::prepare(conn, kSelect);
    REQUIRE(s);
    s->bind(1, 2);
    REQUIRE(s->step().value());
    CHECK(s->column_int64(0) == 2);
  }
  for (auto& conn : open) cached += cached_statement_count(conn.handle()) > 0 ? 1 : 0;
  CHECK(cached >= 60);  // this test's connections in every free slot; the others finalize theirs
  CHECK(cached < open.size());
  open.clear();
  // Closing gave the slots back: a new connection's statements are kept again.
  auto conn = numbers_db(1);
  { REQUIRE(Statement::prepare(conn, kSelect)); }
  CHECK(cached_statement_count(conn.handle()) == 1);
}

TEST_CASE("statement cache: connections on different threads use their caches at once") {
  // Each thread its own connection, as the read pool, the writer and the checkpointer have:
  // takes and recycles run without a lock (Debug builds assert one user per connection).
  constexpr int kThreads = 4;
  constexpr int kRounds = 2000;
  std::vector<Connection> conns;
  for (int t = 0; t < kThreads; ++t) conns.push_back(numbers_db(5));
  std::vector<long long> sums(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < kRounds; ++round) {
        auto s = Statement::prepare(conns[t], kSelect);
        if (!s) return;
        s->bind(1, 1 + round % 5);
        auto row = s->step();
        if (row && *row) sums[t] += s->column_int64(0);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  // 1+2+3+4+5 for every five rounds.
  for (int t = 0; t < kThreads; ++t) {
    INFO(t);
    CHECK(sums[t] == 15LL * kRounds / 5);
    CHECK(cached_statement_count(conns[t].handle()) == 1);
  }
}
