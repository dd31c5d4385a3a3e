// Tells whether the database changed (issue 15: documents cached until they change). Holds its
// own read-only connection and asks SQLite for `PRAGMA data_version`, which differs between two
// calls on one connection whenever any other connection committed in between: the server's own
// writer, or another process (a `civicpub` command run while the server serves). The connection
// never writes, so every commit counts.
//
// version() asks SQLite every time (one short read transaction: a lock on the WAL index and a
// read of its header; no page of the database is read). epoch() is what a request asks: it reads
// two atomics in the common case. It moves
// - at once after every commit of this process's writer (`local_commits`, the writer's count of
//   committed transactions, bumped after COMMIT returned and before any job's `done` runs: a
//   client that was told its write succeeded sees it on its next request), and
// - when version() moved, asked at most once every `recheck` (another process's commit is seen
//   within `recheck`; zero asks on every call).
// A version that cannot be read makes epoch() nullopt ("unknown": treat as changed).
//
// Why not ask data_version on every read: that query takes SQLite's WAL read lock (system calls)
// and, from every thread, one connection's mutex; it cost a cached read as much as everything
// else together (docs/performance.md, fix 13).
//
// Thread-safe: version() and epoch()'s slow path serialise on a mutex.
#pragma once

#include "storage/connection.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace civicpub::storage {

class ChangeWatch {
 public:
  using Clock = std::chrono::steady_clock;

  using Now = Clock::time_point (*)();

  // Errors: what Connection::open answers; Errc::misuse for ":memory:" (a private database no
  // other connection can see). `local_commits` may be empty (then only data_version counts);
  // `now` is the clock (tests pass their own).
  static Result<std::unique_ptr<ChangeWatch>> open(
      const std::string& path, std::function<std::uint64_t()> local_commits = {},
      Clock::duration recheck = Clock::duration::zero(), Now now = &Clock::now);

  // The current data version: equal answers mean nothing was committed in between. An error
  // (a busy or broken file) means "unknown": callers must treat it as changed.
  Result<std::int64_t> version();

  // A number that moves whenever the database changed (see above); equal answers mean no commit
  // of this process's writer in between, and none by another process older than `recheck`.
  std::optional<std::int64_t> epoch();

 private:
  ChangeWatch(Connection conn, std::function<std::uint64_t()> local_commits,
              Clock::duration recheck, Now now)
      : conn_(std::move(conn)),
        local_commits_(std::move(local_commits)),
        recheck_(recheck),
        now_(now) {}

  Result<std::int64_t> version_locked();
  std::uint64_t local() const { return local_commits_ ? local_commits_() : 0; }

  std::mutex mutex_;
  Connection conn_;
  const std::function<std::uint64_t()> local_commits_;
  const Clock::duration recheck_;
  const Now now_;
  // epoch()'s state: read without the lock, written under it (epoch_ before seen_local_).
  std::atomic<std::int64_t> epoch_{0};
  std::atomic<std::uint64_t> seen_local_{0};
  std::atomic<Clock::rep> checked_at_{0};  // when data_version was last asked; 0: never
  std::int64_t seen_version_ = 0;          // under mutex_
};

}  // namespace civicpub::storage
