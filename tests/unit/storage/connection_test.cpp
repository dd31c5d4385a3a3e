#include "tests/unit/storage/fixtures.hpp"
#include "storage/statement.hpp"

using namespace civicpub::storage;

TEST_CASE("connection opens memory and file databases with the right pragmas") {
  auto mem = Connection::open(":memory:");
  REQUIRE(mem);
  CHECK(mem->is_memory());
  CHECK_FALSE(mem->read_only());

  test::TempDir dir;
  auto file = Connection::open(dir.file("a.db"));
  REQUIRE(file);
  auto mode = Statement::prepare(*file, "PRAGMA journal_mode");
  REQUIRE(mode);
  REQUIRE(mode->step().value());
  CHECK(mode->column_text(0) == "wal");
  auto fk = Statement::prepare(*file, "PRAGMA foreign_keys");
  REQUIRE(fk);
  REQUIRE(fk->step().value());
  CHECK(fk->column_int64(0) == 1);
  auto sync = Statement::prepare(*file, "PRAGMA synchronous");
  REQUIRE(sync);
  REQUIRE(sync->step().value());
  CHECK(sync->column_int64(0) == 1);  // NORMAL
  // The writer's savepoint journals stay in memory (a job per savepoint: issue 15).
  auto temp = Statement::prepare(*file, "PRAGMA temp_store");
  REQUIRE(temp);
  REQUIRE(temp->step().value());
  CHECK(temp->column_int64(0) == 2);  // MEMORY
}

TEST_CASE("connection exec, changes, rowid and transaction state") {
  auto conn = Connection::open(":memory:");
  REQUIRE(conn);
  REQUIRE(conn->exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT UNIQUE)"));
  CHECK_FALSE(conn->in_transaction());
  REQUIRE(conn->exec("BEGIN"));
  CHECK(conn->in_transaction());
  REQUIRE(conn->exec("INSERT INTO t (v) VALUES ('a'), ('b')"));
  CHECK(conn->changes() == 2);
  CHECK(conn->last_insert_rowid() == 2);
  REQUIRE(conn->exec("COMMIT"));

  auto dup = conn->exec("INSERT INTO t (v) VALUES ('a')");
  REQUIRE_FALSE(dup);
  CHECK(dup.error() == Errc::conflict);
  CHECK(conn->last_error_message().find("UNIQUE") != std::string::npos);

  auto bad = conn->exec("SELEC nonsense");
  REQUIRE_FALSE(bad);
  CHECK(bad.error() == Errc::misuse);
  CHECK(conn->last_error_message().find("syntax") != std::string::npos);
}

TEST_CASE("connection failures: missing directory, read-only writes, moved-from use") {
  test::TempDir dir;
  auto missing = Connection::open(dir.file("no/such/dir/x.db"));
  REQUIRE_FALSE(missing);
  CHECK(missing.error() == Errc::io);

  {
    auto rw = Connection::open(dir.file("ro.db"));
    REQUIRE(rw);
    REQUIRE(rw->exec("CREATE TABLE t (x INTEGER)"));
  }
  auto ro = Connection::open(dir.file("ro.db"), ConnectionOptions{true, std::chrono::milliseconds(1000)});
  REQUIRE(ro);
  CHECK(ro->read_only());
  auto write = ro->exec("INSERT INTO t VALUES (1)");
  REQUIRE_FALSE(write);
  CHECK((write.error() == Errc::io || write.error() == Errc::misuse));

  auto ro_missing = Connection::open(dir.file("absent.db"), ConnectionOptions{true, std::chrono::milliseconds(1000)});
  CHECK_FALSE(ro_missing);

  Connection moved = std::move(*ro);
  auto again = ro->exec("SELECT 1");  // NOLINT(bugprone-use-after-move): testing exactly that
  REQUIRE_FALSE(again);
  CHECK(again.error() == Errc::closed);
  CHECK(moved.exec("SELECT 1"));
}
