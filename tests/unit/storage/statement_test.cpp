#include "tests/unit/storage/fixtures.hpp"
#include "storage/savepoint.hpp"
#include "storage/statement.hpp"

using namespace civicpub::storage;

namespace {
Connection table_db() {
  auto conn = Connection::open(":memory:");
  REQUIRE(conn);
  REQUIRE(conn->exec("CREATE TABLE t (i INTEGER, d REAL, s TEXT, o TEXT)"));
  return std::move(*conn);
}
}  // namespace

TEST_CASE("statement binds and reads every supported type") {
  auto conn = table_db();
  auto ins = Statement::prepare(conn, "INSERT INTO t VALUES (?1, ?2, ?3, ?4)");
  REQUIRE(ins);
  ins->bind(1, std::int64_t{1} << 40).bind(2, 2.5).bind(3, std::string_view("héllo"));
  ins->bind(4, std::optional<std::string>("x"));
  REQUIRE(ins->run());
  ins->reset();
  ins->bind(1, true).bind(2, 0.0).bind(3, std::string()).bind(4, std::nullopt);
  REQUIRE(ins->run());
  ins->reset();
  ins->bind(1, 7).bind_null(2).bind(3, "lit").bind(4, std::optional<std::string>());
  REQUIRE(ins->run());

  auto sel = Statement::prepare(conn, "SELECT i, d, s, o FROM t ORDER BY rowid");
  REQUIRE(sel);
  REQUIRE(sel->step().value());
  CHECK(sel->column_int64(0) == (std::int64_t{1} << 40));
  CHECK(sel->column_double(1) == 2.5);
  CHECK(sel->column_text(2) == "héllo");
  CHECK(sel->column_optional_text(3) == std::optional<std::string>("x"));
  REQUIRE(sel->step().value());
  CHECK(sel->column_bool(0));
  CHECK(sel->column_text(2).empty());
  CHECK_FALSE(sel->is_null(2));  // '' stays distinct from NULL
  CHECK(sel->is_null(3));
  CHECK_FALSE(sel->column_optional_text(3));
  REQUIRE(sel->step().value());
  CHECK(sel->column_int64(0) == 7);
  CHECK(sel->is_null(1));
  CHECK_FALSE(sel->column_optional_int64(1));
  CHECK(sel->column_optional_int64(0) == std::optional<std::int64_t>(7));
  CHECK(sel->column_text(1).empty());  // NULL reads as ""
  CHECK_FALSE(sel->step().value());
}

TEST_CASE("statement errors: bad SQL, empty SQL, bad bind index, constraint") {
  auto conn = table_db();
  auto bad = Statement::prepare(conn, "SELECT * FROM missing_table");
  REQUIRE_FALSE(bad);
  CHECK(bad.error() == Errc::misuse);
  CHECK(conn.last_error_message().find("missing_table") != std::string::npos);

  auto empty = Statement::prepare(conn, "   ");
  REQUIRE_FALSE(empty);
  CHECK(empty.error() == Errc::misuse);

  auto st = Statement::prepare(conn, "INSERT INTO t (i) VALUES (?1)");
  REQUIRE(st);
  st->bind(5, 1).bind(1, 2);  // index 5 does not exist: remembered, reported by step
  auto r = st->step();
  REQUIRE_FALSE(r);
  CHECK(r.error() == Errc::misuse);
  st->reset();  // clears the remembered error
  st->bind(1, 3);
  CHECK(st->run());

  REQUIRE(conn.exec("CREATE TABLE u (x TEXT NOT NULL)"));
  auto nn = Statement::prepare(conn, "INSERT INTO u VALUES (?1)");
  REQUIRE(nn);
  nn->bind_null(1);
  auto e = nn->run();
  REQUIRE_FALSE(e);
  CHECK(e.error() == Errc::constraint);
  CHECK(nn->error_message().find("NOT NULL") != std::string::npos);

  Statement moved = std::move(*nn);
  CHECK(nn->error_message() == "statement finalized");  // NOLINT(bugprone-use-after-move)
}

TEST_CASE("savepoint releases on success and rolls back otherwise") {
  auto conn = table_db();
  {
    auto sp = Savepoint::begin(conn, "a");
    REQUIRE(sp);
    REQUIRE(conn.exec("INSERT INTO t (i) VALUES (1)"));
    REQUIRE(sp->release());
  }
  {
    auto sp = Savepoint::begin(conn, "b");
    REQUIRE(sp);
    REQUIRE(conn.exec("INSERT INTO t (i) VALUES (2)"));
  }  // destroyed without release
  {
    auto sp = Savepoint::begin(conn, "c");
    REQUIRE(sp);
    REQUIRE(conn.exec("INSERT INTO t (i) VALUES (3)"));
    sp->rollback();
  }
  CHECK_FALSE(conn.in_transaction());
  auto count = Statement::prepare(conn, "SELECT group_concat(i) FROM t");
  REQUIRE(count);
  REQUIRE(count->step().value());
  CHECK(count->column_text(0) == "1");
  CHECK_FALSE(Savepoint::begin(conn, "bad name"));
}
