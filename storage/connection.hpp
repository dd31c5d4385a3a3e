// One SQLite connection (RAII around sqlite3*). Not thread-safe: one thread uses it at a time
// (the Database hands connections to exactly one job or reader at once).
#pragma once

#include "common/error_kind.hpp"

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

struct sqlite3;

namespace civicpub::storage {

struct ConnectionOptions {
  bool read_only = false;
  // How long SQLite itself waits for a lock before answering SQLITE_BUSY (-> Errc::busy).
  std::chrono::milliseconds busy_timeout{5000};
};

class Connection {
 public:
  // Opens (creating when read-write) the database at `path`; ":memory:" is a private in-memory
  // database. Applies the pragmas: foreign_keys=ON, busy_timeout, and for read-write files
  // journal_mode=WAL and synchronous=NORMAL (WAL makes NORMAL durable across application
  // crashes; only a power loss can lose the last commits, which is acceptable for a fediverse
  // server whose peers redeliver), and temp_store=MEMORY: the Database runs each write job in
  // its own SAVEPOINT, and SQLite copies every page a job changes into the sub-journal, a temp
  // file on disk otherwise (two pwrite calls per page; issue 15). The writer's transient sorts
  // and indexes, where a statement needs them, are in memory too.
  static Result<Connection> open(const std::string& path, const ConnectionOptions& options = {});

  Connection(Connection&& other) noexcept;
  Connection& operator=(Connection&& other) noexcept;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  // Runs one or more SQL statements that return no rows we need (DDL, BEGIN, SAVEPOINT, ...).
  Result<void> exec(std::string_view sql);

  // The text of the last error on this connection (sqlite3_errmsg), for logs.
  std::string last_error_message() const;
  // Rows changed by the last INSERT/UPDATE/DELETE.
  std::int64_t changes() const noexcept;
  std::int64_t last_insert_rowid() const noexcept;
  // True while a transaction is open (SQLite may roll one back on its own after I/O errors).
  bool in_transaction() const noexcept;
  bool read_only() const noexcept { return read_only_; }
  bool is_memory() const noexcept { return memory_; }

  sqlite3* handle() const noexcept { return db_; }

 private:
  Connection(sqlite3* db, bool read_only, bool memory) noexcept
      : db_(db), read_only_(read_only), memory_(memory) {}

  sqlite3* db_ = nullptr;
  bool read_only_ = false;
  bool memory_ = false;
};

}  // namespace civicpub::storage
