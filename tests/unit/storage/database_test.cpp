#include "tests/unit/storage/fixtures.hpp"
#include "storage/database.hpp"
#include "storage/statement.hpp"

#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <vector>

using namespace civicpub::storage;
using civicpub::Result;

namespace {

Result<void> insert_value(Connection& conn, const std::string& v) {
  return conn.exec("INSERT INTO kv (v) VALUES ('" + v + "')");  // test values only
}

Result<std::int64_t> count_values(Connection& conn) {
  auto s = Statement::prepare(conn, "SELECT COUNT(*) FROM kv");
  if (!s) return s.error();
  auto row = s->step();
  if (!row) return row.error();
  return s->column_int64(0);
}

std::unique_ptr<Database> open_db(const std::string& path, std::vector<std::string>* logs = nullptr) {
  DatabaseOptions options;
  options.path = path;
  if (logs) options.log = [logs](std::string_view m) { logs->emplace_back(m); };
  auto db = Database::open(std::move(options));
  REQUIRE(db);
  auto made = (*db)->write_sync([](Connection& c) {
    return c.exec("CREATE TABLE kv (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)");
  });
  REQUIRE(made);
  return std::move(*db);
}

// Holds the writer inside a job until released, so later jobs queue up behind it.
struct Gate {
  std::mutex m;
  std::condition_variable cv;
  bool entered = false;
  bool open = false;
  void enter_and_wait() {
    std::unique_lock lock(m);
    entered = true;
    cv.notify_all();
    cv.wait(lock, [this] { return open; });
  }
  void wait_entered() {
    std::unique_lock lock(m);
    cv.wait(lock, [this] { return entered; });
  }
  void release() {
    std::lock_guard lock(m);
    open = true;
    cv.notify_all();
  }
};

}  // namespace

TEST_CASE("database opens, migrates and answers write_sync and read") {
  for (bool file : {false, true}) {
    test::TempDir dir;
    auto db = open_db(file ? dir.file("db.sqlite") : ":memory:");
    REQUIRE(db->write_sync([](Connection& c) { return insert_value(c, "a"); }));
    auto n = db->read([](Connection& c) { return count_values(c); });
    REQUIRE(n);
    CHECK(*n == 1);
    auto dup = db->write_sync([](Connection& c) { return insert_value(c, "a"); });
    REQUIRE_FALSE(dup);
    CHECK(dup.error() == Errc::conflict);
    auto version = db->read([](Connection& c) { return schema_version(c); });
    CHECK(version.value() == latest_schema_version());
  }
}

TEST_CASE("database refuses a file whose schema is newer than the binary") {
  test::TempDir dir;
  {
    auto conn = Connection::open(dir.file("new.db"));
    REQUIRE(conn);
    REQUIRE(conn->exec("PRAGMA user_version = 9999"));
  }
  std::vector<std::string> logs;
  DatabaseOptions options;
  options.path = dir.file("new.db");
  options.log = [&](std::string_view m) { logs.emplace_back(m); };
  auto db = Database::open(options);
  REQUIRE_FALSE(db);
  CHECK(db.error() == Errc::schema_too_new);
  REQUIRE_FALSE(logs.empty());
  CHECK(logs[0].find("newer") != std::string::npos);
}

TEST_CASE("queued writes are batched into one transaction - a failing job does not undo others") {
  auto db = open_db(":memory:");
  const auto before = db->transactions_committed();
  Gate gate;
  std::mutex m;
  std::vector<std::pair<std::string, bool>> results;
  auto record = [&](std::string name) {
    return [&, name](Result<void> r) {
      std::lock_guard lock(m);
      results.emplace_back(name, r.has_value());
    };
  };
  db->write_async([&](Connection& c) {
    gate.enter_and_wait();
    return insert_value(c, "first");
  }, record("first"));
  gate.wait_entered();
  // The writer is busy inside "first": these four queue up and run as one batch.
  db->write_async([](Connection& c) { return insert_value(c, "b1"); }, record("b1"));
  db->write_async([](Connection& c) -> Result<void> {
    if (auto r = insert_value(c, "doomed"); !r) return r;
    return insert_value(c, "b1");  // conflict: the whole job rolls back to its savepoint
  }, record("failing"));
  db->write_async([](Connection& c) { return insert_value(c, "b2"); }, record("b2"));
  db->write_async([](Connection&) -> Result<void> {
    throw std::runtime_error("bug in a job");
  }, record("throwing"));
  gate.release();
  REQUIRE(test::eventually([&] {
    std::lock_guard lock(m);
    return results.size() == 5;
  }));
  CHECK(db->transactions_committed() - before == 2);  // "first", then the batch of four
  std::lock_guard lock(m);
  CHECK(results[0] == std::pair<std::string, bool>("first", true));
  CHECK(results[1] == std::pair<std::string, bool>("b1", true));
  CHECK(results[2] == std::pair<std::string, bool>("failing", false));
  CHECK(results[3] == std::pair<std::string, bool>("b2", true));
  CHECK(results[4] == std::pair<std::string, bool>("throwing", false));
  CHECK(db->read([](Connection& c) { return count_values(c); }).value() == 3);
  auto doomed = db->read([](Connection& c) -> Result<std::int64_t> {
    auto s = Statement::prepare(c, "SELECT COUNT(*) FROM kv WHERE v = 'doomed'");
    if (!s) return s.error();
    (void)s->step();
    return s->column_int64(0);
  });
  CHECK(doomed.value() == 0);
}

TEST_CASE("write_async calls done only after the commit, visible to another connection") {
  test::TempDir dir;
  auto db = open_db(dir.file("wal.db"));
  std::atomic<int> seen{-1};
  db->write_async([](Connection& c) { return insert_value(c, "x"); },
                  [&](Result<void> r) {
                    if (!r) {
                      seen = -2;  // no Catch assertions off the test thread
                      return;
                    }
                    // A read-only pool connection (a different connection) already sees it.
                    seen = static_cast<int>(
                        db->read([](Connection& c) { return count_values(c); }).value());
                  });
  REQUIRE(test::eventually([&] { return seen.load() != -1; }));
  CHECK(seen.load() == 1);
}

TEST_CASE("reads from other threads see committed data, never a batch in progress") {
  test::TempDir dir;
  auto db = open_db(dir.file("threads.db"));
  Gate gate;
  std::atomic<bool> done{false};
  db->write_async([&](Connection& c) -> Result<void> {
    if (auto r = insert_value(c, "pending"); !r) return r;
    gate.enter_and_wait();
    return {};
  }, [&](Result<void>) { done = true; });
  gate.wait_entered();
  std::int64_t during = -1;
  std::thread reader([&] { during = db->read([](Connection& c) { return count_values(c); }).value(); });
  reader.join();
  CHECK(during == 0);  // uncommitted: invisible
  gate.release();
  REQUIRE(test::eventually([&] { return done.load(); }));
  std::int64_t after = -1;
  std::thread reader2([&] { after = db->read([](Connection& c) { return count_values(c); }).value(); });
  reader2.join();
  CHECK(after == 1);
}

TEST_CASE("one read sees one snapshot, whatever commits while it runs") {
  test::TempDir dir;
  auto db = open_db(dir.file("snapshot.db"));
  REQUIRE(db->write_sync([](Connection& c) { return insert_value(c, "first"); }));
  std::int64_t before = -1;
  std::int64_t after = -1;
  auto read = db->read([&](Connection& c) -> Result<void> {
    auto counted = count_values(c);
    if (!counted) return counted.error();
    before = *counted;
    // Committed by the writer between the two statements of this read.
    if (auto r = db->write_sync([](Connection& w) { return insert_value(w, "second"); }); !r) {
      return r.error();
    }
    counted = count_values(c);
    if (!counted) return counted.error();
    after = *counted;
    return {};
  });
  REQUIRE(read);
  CHECK(before == 1);
  CHECK(after == 1);
  // The read transaction ended with the read: the next one sees the commit.
  CHECK(db->read([](Connection& c) { return count_values(c); }).value() == 2);
}

TEST_CASE("read connections are read-only") {
  test::TempDir dir;
  auto db = open_db(dir.file("ro.db"));
  auto w = db->read([](Connection& c) { return insert_value(c, "nope"); });
  REQUIRE_FALSE(w);
}

TEST_CASE("close drains queued jobs, then refuses new work") {
  for (bool file : {false, true}) {
    test::TempDir dir;
    auto db = open_db(file ? dir.file("close.db") : ":memory:");
    Gate gate;
    std::atomic<int> ok{0};
    db->write_async([&](Connection& c) {
      gate.enter_and_wait();
      return insert_value(c, "g");
    }, [&](Result<void> r) { ok += r ? 1 : 0; });
    gate.wait_entered();
    for (int i = 0; i < 20; ++i) {
      db->write_async([i](Connection& c) { return insert_value(c, "v" + std::to_string(i)); },
                      [&](Result<void> r) { ok += r ? 1 : 0; });
    }
    std::thread closer([&] { db->close(); });
    gate.release();
    closer.join();
    CHECK(ok.load() == 21);  // every queued job ran and committed before close returned

    bool called = false;
    db->write_async([](Connection& c) { return insert_value(c, "late"); },
                    [&](Result<void> r) {
                      called = true;
                      CHECK(r.error() == Errc::closed);
                    });
    CHECK(called);
    auto r = db->read([](Connection& c) { return count_values(c); });
    REQUIRE_FALSE(r);
    CHECK(r.error() == Errc::closed);
    db->close();  // idempotent
  }
}

TEST_CASE("nested use from inside a write job is refused instead of deadlocking") {
  auto db = open_db(":memory:");
  auto r = db->write_sync([&](Connection&) -> Result<int> {
    CHECK(db->on_writer_thread());
    auto inner = db->write_sync([](Connection&) -> Result<int> { return 1; });
    CHECK(inner.error() == Errc::misuse);
    auto read = db->read([](Connection&) -> Result<int> { return 2; });
    CHECK(read.error() == Errc::misuse);
    return 3;
  });
  CHECK(r.value() == 3);
  CHECK_FALSE(db->on_writer_thread());
}

TEST_CASE("an exception in a completion is logged and the writer keeps going") {
  std::vector<std::string> logs;
  auto db = open_db(":memory:", &logs);
  std::atomic<bool> after{false};
  db->write_async([](Connection& c) { return insert_value(c, "t"); },
                  [](Result<void>) { throw std::runtime_error("completion bug"); });
  auto r = db->write_sync([](Connection& c) { return count_values(c); });
  CHECK(r.value() == 1);
  db->close();
  bool logged = false;
  for (auto& l : logs) logged = logged || l.find("completion bug") != std::string::npos;
  CHECK(logged);
  (void)after;
}

TEST_CASE("database open fails cleanly for an unusable path") {
  test::TempDir dir;
  DatabaseOptions options;
  options.path = dir.file("missing/dir/x.db");
  auto db = Database::open(options);
  REQUIRE_FALSE(db);
  CHECK(db.error() == Errc::io);
}

namespace {

// A file database with a `blob` table, for the checkpointer's tests.
std::unique_ptr<Database> blob_database(const std::string& path, std::size_t checkpoint_pages,
                                        std::chrono::milliseconds checkpoint_interval) {
  DatabaseOptions options;
  options.path = path;
  options.checkpoint_pages = checkpoint_pages;
  options.checkpoint_interval = checkpoint_interval;
  auto opened = Database::open(std::move(options));
  REQUIRE(opened);
  auto db = std::move(*opened);
  REQUIRE(db->write_sync([](Connection& c) {
    return c.exec("CREATE TABLE blob (id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
  }));
  return db;
}

// One commit of ten rows of 4,000 bytes: about ten pages.
void write_ten_blobs(Database& db) {
  REQUIRE(db.write_sync([](Connection& c) -> Result<void> {
    for (int j = 0; j < 10; ++j) {
      if (auto r = c.exec("INSERT INTO blob (v) VALUES (printf('%.4000c', 'x'))"); !r) return r;
    }
    return {};
  }));
}

}  // namespace

TEST_CASE("the checkpointer copies the WAL back into the database past checkpoint_pages") {
  test::TempDir dir;
  const auto path = dir.file("checkpoint.db");
  // Only the WAL's size wakes the checkpointer here.
  auto db = blob_database(path, 8, std::chrono::hours(24));
  const auto before = std::filesystem::file_size(path);
  // About 100 pages in ten commits: the writer's commits only note the WAL's size; the copy
  // into the database file is the checkpointer's (with SQLite's own automatic checkpoint, at
  // 1,000 pages, nothing would be copied yet).
  for (int i = 0; i < 10; ++i) write_ten_blobs(*db);
  REQUIRE(
      test::eventually([&] { return db->checkpoints_completed() >= 1; }, std::chrono::seconds(30)));
  REQUIRE(test::eventually([&] { return std::filesystem::file_size(path) >= before + 90 * 4096; },
                           std::chrono::seconds(30)));
  CHECK(db->read([](Connection& c) -> Result<std::int64_t> {
            auto s = Statement::prepare(c, "SELECT COUNT(*) FROM blob");
            if (!s) return s.error();
            if (auto row = s->step(); !row) return row.error();
            return s->column_int64(0);
          }).value() == 100);
}

TEST_CASE("the checkpointer syncs a quiet server's commits within checkpoint_interval") {
  test::TempDir dir;
  const auto path = dir.file("interval.db");
  // Never full here: only the interval can wake the checkpointer.
  auto db = blob_database(path, 1000000, std::chrono::milliseconds(100));
  REQUIRE(
      test::eventually([&] { return db->checkpoints_completed() >= 1; }, std::chrono::seconds(30)));
  const auto before = std::filesystem::file_size(path);
  const auto checkpoints = db->checkpoints_completed();
  // One small commit, far below checkpoint_pages: copied into the database file all the same.
  write_ten_blobs(*db);
  REQUIRE(test::eventually([&] { return db->checkpoints_completed() > checkpoints; },
                           std::chrono::seconds(30)));
  REQUIRE(test::eventually([&] { return std::filesystem::file_size(path) >= before + 9 * 4096; },
                           std::chrono::seconds(30)));
}
