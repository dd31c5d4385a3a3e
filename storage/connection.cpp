#include "storage/connection.hpp"

#include "storage/errors.hpp"
#include "storage/statement_cache.hpp"

#include <sqlite3.h>

#include <utility>

namespace civicpub::storage {
namespace {

// The connection's idle cached statements are finalized first (statement_cache.hpp).
void close_handle(sqlite3* db) noexcept {
  if (db == nullptr) return;
  detail::drop_statement_cache(db);
  sqlite3_close_v2(db);
}

}  // namespace

// SQLite's memory statistics (sqlite3_memory_used and the like, which civicpub never reads) take
// one process-wide mutex around every allocation SQLite makes, so connections on different
// threads (the writer, the readers) met there. sqlite3_config must run before SQLite initializes,
// that is before the first open; afterwards it is refused (SQLITE_MISUSE) and changes nothing.
namespace {
void configure_sqlite_once() {
  static const int configured = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  (void)configured;
}
}  // namespace

Result<Connection> Connection::open(const std::string& path, const ConnectionOptions& options) {
  configure_sqlite_once();
  const bool memory = path == ":memory:";
  int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  flags |= options.read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  // sqlite3_open_v2 hands back a handle even on failure; the Connection closes it either way.
  Connection conn(raw, options.read_only, memory);
  if (rc != SQLITE_OK) {
    return sqlite_error(raw == nullptr ? SQLITE_NOMEM : rc);
  }
  sqlite3_extended_result_codes(raw, 1);
  detail::register_statement_cache(raw);
  sqlite3_busy_timeout(raw, static_cast<int>(options.busy_timeout.count()));

  if (auto r = conn.exec("PRAGMA foreign_keys = ON"); !r) return r.error();
  if (!memory && !options.read_only) {
    if (auto r = conn.exec("PRAGMA journal_mode = WAL"); !r) return r.error();
    if (auto r = conn.exec("PRAGMA synchronous = NORMAL"); !r) return r.error();
    if (auto r = conn.exec("PRAGMA temp_store = MEMORY"); !r) return r.error();
  }
  if (options.read_only) {
    // Belt and braces: even a read-only open of a WAL file must never write.
    if (auto r = conn.exec("PRAGMA query_only = ON"); !r) return r.error();
  }
  return conn;
}

Connection::Connection(Connection&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), read_only_(other.read_only_), memory_(other.memory_) {}

Connection& Connection::operator=(Connection&& other) noexcept {
  if (this != &other) {
    close_handle(db_);
    db_ = std::exchange(other.db_, nullptr);
    read_only_ = other.read_only_;
    memory_ = other.memory_;
  }
  return *this;
}

Connection::~Connection() {
  // close_v2 defers the close until every statement is finalized, so a leaked Statement cannot
  // make the close fail.
  close_handle(db_);
}

Result<void> Connection::exec(std::string_view sql) {
  if (db_ == nullptr) return make_error_code(Errc::closed);
  const std::string text(sql);  // sqlite3_exec wants a NUL-terminated string
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return sqlite_error(rc);
  return {};
}

std::string Connection::last_error_message() const {
  if (db_ == nullptr) return "connection closed";
  return sqlite3_errmsg(db_);
}

std::int64_t Connection::changes() const noexcept {
  return db_ == nullptr ? 0 : sqlite3_changes64(db_);
}

std::int64_t Connection::last_insert_rowid() const noexcept {
  return db_ == nullptr ? 0 : sqlite3_last_insert_rowid(db_);
}

bool Connection::in_transaction() const noexcept {
  return db_ != nullptr && sqlite3_get_autocommit(db_) == 0;
}

}  // namespace civicpub::storage
