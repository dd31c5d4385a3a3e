// The database: one writer thread owning the only read-write connection, plus a small pool of
// read-only connections (DESIGN.md "Concurrency").
//
// Writes are jobs: a callable `Result<T>(Connection&)` that runs SQL and nothing else (never I/O,
// never a co_await). The writer drains its queue and runs the queued jobs together in ONE
// `BEGIN IMMEDIATE` transaction, each inside its own SAVEPOINT: a job that returns an error is
// rolled back to its savepoint only, the others commit. One fsync per batch instead of one per
// write is where inbox-burst throughput comes from.
//
// Completion guarantees:
// - `done(result)` runs on the writer thread after COMMIT returned, never before: nobody can
//   observe success of a write that is not durable.
// - If COMMIT fails (or SQLite rolls the transaction back under the batch), every job that had
//   succeeded gets that error (Errc::aborted when SQLite rolled back on its own); a job that
//   failed keeps its own error.
// - `done` must not block for long (it holds up the next batch) and must not throw (an exception
//   is reported to the log hook and swallowed).
//
// For ":memory:" there is a single connection shared by the writer and readers (serialised by a
// mutex held for a whole batch, so readers still only see committed data).
//
// Checkpoints (file databases) run on a thread of their own, never in the writer's COMMIT
// (issue 15). SQLite's default copies the WAL back into the database inside the commit that
// finds it over 1,000 pages: that commit (and every write queued behind it) waited for the copy
// and its fsyncs (docs/performance.md, fix 29). Here the writer's commit only
// notes the WAL's size (sqlite3_wal_hook, which replaces the automatic checkpoint) and, past
// `checkpoint_pages`, wakes the checkpointer, whose own connection runs a PASSIVE checkpoint:
// it copies what no reader still needs, without waiting for readers or the writer, and the
// writer starts the WAL over once all of it is copied. It also runs `checkpoint_interval` after
// the first commit since its last checkpoint, so a commit is synced to disk within that time. That
// connection writes no row (query_only); it exists to checkpoint. At close the last connection
// checkpoints what is left, as before.
#pragma once

#include "storage/connection.hpp"
#include "storage/errors.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

namespace civicpub::storage {

struct DatabaseOptions {
  std::string path = ":memory:";
  std::size_t read_pool_size = 4;  // read-only connections (file databases only)
  std::size_t max_batch = 128;     // jobs per transaction at most
  std::chrono::milliseconds busy_timeout{5000};
  // WAL pages after which the checkpointer is woken: 16,000 (64 MiB of 4 KiB pages), not
  // SQLite's own 1,000. A commit rewrites every page it touches, so under load the WAL holds the
  // same hot index pages many times over; each checkpoint copies each page once, so fewer
  // checkpoints copy less (a burst of 20,000 Creates writes about 125,000 pages; stored about
  // 9% sooner, docs/performance.md, fix 30).
  std::size_t checkpoint_pages = 16000;
  // And at most this long after a commit: a checkpoint syncs the WAL to disk, so a power cut
  // takes back at most this much time of commits, however quiet the server (with
  // `synchronous = NORMAL` a commit alone is not synced; docs/security.md).
  std::chrono::milliseconds checkpoint_interval{std::chrono::seconds(5)};
  // Receives failure detail (SQLite's own messages) for the log; may be empty. Called from the
  // writer thread, the checkpointer thread or the thread calling open().
  std::function<void(std::string_view)> log;
};

namespace detail {
template <class R>
struct is_result : std::false_type {};
template <class T>
struct is_result<boost::system::result<T>> : std::true_type {};
}  // namespace detail

class Database {
 public:
  // Opens (creating if needed) and migrates. Errors: Errc::io, Errc::schema_too_new,
  // Errc::migration_failed, ...
  static Result<std::unique_ptr<Database>> open(DatabaseOptions options);

  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();  // close()

  // Queues fn; `done(result)` is called on the writer thread after the commit. After close(),
  // `done` is called at once on the caller's thread with Errc::closed.
  template <class F, class Done>
  void write_async(F fn, Done done) {
    using R = std::invoke_result_t<F&, Connection&>;
    static_assert(detail::is_result<R>::value, "a write job returns civicpub::Result<T>");
    auto job = std::make_unique<JobImpl<F, Done>>(std::move(fn), std::move(done));
    enqueue(std::move(job));
  }

  // Runs fn on the writer thread and blocks until it committed (for the CLI and tests). Called
  // from inside a write job it would deadlock, so it answers Errc::misuse instead.
  template <class F>
  auto write_sync(F fn) -> std::invoke_result_t<F&, Connection&> {
    using R = std::invoke_result_t<F&, Connection&>;
    if (on_writer_thread()) return R(boost::system::in_place_error, make_error_code(Errc::misuse));
    std::promise<R> promise;
    auto future = promise.get_future();
    write_async(std::move(fn), [&promise](R r) { promise.set_value(std::move(r)); });
    return future.get();
  }

  // Runs fn synchronously on the caller's thread with a read-only connection from the pool
  // (waiting for one when all are lent), inside one read transaction: every statement of fn sees
  // the same committed snapshot. Errc::closed after close();
  // Errc::misuse from inside a write job on a ":memory:" database (it would deadlock).
  template <class F>
  auto read(F fn) -> std::invoke_result_t<F&, Connection&> {
    using R = std::invoke_result_t<F&, Connection&>;
    static_assert(detail::is_result<R>::value, "a read returns civicpub::Result<T>");
    auto lease = acquire_reader();
    if (!lease) return R(boost::system::in_place_error, lease.error());
    // One read transaction for all of fn's statements: one snapshot, and the connection's page
    // cache survives between them (each autocommit statement would start a transaction of its
    // own, and a commit in between empties the cache).
    if (auto begun = begin_read(*lease->conn); !begun) {
      return R(boost::system::in_place_error, begun.error());
    }
    ReadEnd end{lease->conn};
    return fn(*lease->conn);
  }

  // Stops accepting jobs, runs every job already queued, joins the writer, waits for lent read
  // connections and closes every connection. Idempotent.
  void close();

  bool on_writer_thread() const noexcept;
  // Batches committed so far (tests use it to see batching).
  std::uint64_t transactions_committed() const noexcept;
  // Checkpoints the checkpointer completed so far (tests).
  std::uint64_t checkpoints_completed() const noexcept;

 private:
  static Result<void> begin_read(Connection& conn);
  // Ends the read transaction begin_read started (also when fn threw).
  struct ReadEnd {
    explicit ReadEnd(Connection* c) : conn(c) {}
    Connection* conn;
    ~ReadEnd();
    ReadEnd(const ReadEnd&) = delete;
    ReadEnd& operator=(const ReadEnd&) = delete;
  };

  struct Job {
    virtual ~Job() = default;
    virtual bool run(Connection& conn) = 0;  // true when the job succeeded
    virtual void fail(boost::system::error_code ec) = 0;
    virtual bool succeeded() const = 0;
    virtual void complete() = 0;
  };

  template <class F, class Done>
  struct JobImpl final : Job {
    using R = std::invoke_result_t<F&, Connection&>;
    JobImpl(F f, Done d) : fn(std::move(f)), done(std::move(d)) {}
    bool run(Connection& conn) override {
      result.emplace(fn(conn));
      return result->has_value();
    }
    void fail(boost::system::error_code ec) override { result.emplace(boost::system::in_place_error, ec); }
    bool succeeded() const override { return result && result->has_value(); }
    void complete() override { done(std::move(*result)); }
    F fn;
    Done done;
    std::optional<R> result;
  };

  // A read connection lent to one reader; gives it back on destruction.
  struct Lease {
    Database* db;
    Connection* conn;
    std::unique_lock<std::mutex> memory_lock;  // held for ":memory:" only
    Lease(Database* d, Connection* c, std::unique_lock<std::mutex> l)
        : db(d), conn(c), memory_lock(std::move(l)) {}
    Lease(Lease&& other) noexcept
        : db(std::exchange(other.db, nullptr)),
          conn(other.conn),
          memory_lock(std::move(other.memory_lock)) {}
    Lease& operator=(Lease&&) = delete;
    ~Lease();
  };

  explicit Database(DatabaseOptions options, Connection writer);

  void enqueue(std::unique_ptr<Job> job);
  Result<Lease> acquire_reader();
  void release_reader(Connection* conn);
  void writer_loop();
  void run_batch(std::vector<std::unique_ptr<Job>>& batch);
  void run_job(Job& job);
  void log(std::string_view what) const;
  // sqlite3_wal_hook: after each commit of the writer, with the WAL's size in pages.
  static int on_wal_commit(void* self, sqlite3* db, const char* schema, int pages);
  void checkpoint_loop();
  void stop_checkpointer();

  DatabaseOptions options_;
  Connection writer_conn_;
  bool memory_;

  mutable std::mutex queue_mutex_;
  std::condition_variable queue_cv_;
  std::deque<std::unique_ptr<Job>> queue_;
  bool stopping_ = false;

  std::mutex memory_mutex_;  // ":memory:": serialises the one shared connection

  std::mutex pool_mutex_;
  std::condition_variable pool_cv_;
  std::vector<std::unique_ptr<Connection>> readers_;  // every read connection
  std::vector<Connection*> idle_;                     // those not lent
  bool pool_closed_ = false;

  std::atomic<std::uint64_t> committed_{0};

  std::unique_ptr<Connection> checkpoint_conn_;  // file databases only
  std::mutex checkpoint_mutex_;
  std::condition_variable checkpoint_cv_;
  bool checkpoint_wanted_ = false;
  // Commits since the checkpointer last started a checkpoint (set by the WAL hook).
  std::atomic<bool> wal_unsynced_{false};
  bool checkpoint_stopping_ = false;
  std::atomic<std::uint64_t> checkpoints_{0};
  std::thread checkpointer_;
  std::atomic<bool> closed_{false};
  std::thread::id writer_id_;
  std::thread writer_;
  std::once_flag close_once_;
};

}  // namespace civicpub::storage
