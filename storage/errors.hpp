// The storage layer's error values (STYLE.md rule 4). Every SQLite failure becomes one of these;
// the SQLite text itself (sqlite3_errmsg) is available from Connection::last_error_message() and
// is passed to the Database's log hook, so the detail reaches logs without leaking to clients.
#pragma once

#include "common/error_kind.hpp"

#include <system_error>
#include <type_traits>

namespace civicpub::storage {

enum class Errc {
  not_found = 1,     // no such row
  conflict,          // a UNIQUE / PRIMARY KEY constraint: the thing already exists
  busy,              // SQLITE_BUSY / SQLITE_LOCKED: another writer holds the lock; retry later
  constraint,        // another constraint (NOT NULL, CHECK, FOREIGN KEY): a bug in the caller
  io,                // disk full, I/O error, cannot open, read-only file
  corrupt,           // the file is damaged or not a database, or a row holds an unknown value
  misuse,            // API misuse: bad SQL, wrong bind index, use after close
  migration_failed,  // a schema migration did not apply
  schema_too_new,    // user_version is newer than this binary knows: refuse, never guess
  closed,            // the database has been closed
  aborted,           // the batch's transaction was rolled back under this job
  internal,          // anything else SQLite reports
};

const KindedCategory& storage_category() noexcept;

boost::system::error_code make_error_code(Errc e) noexcept;

// Maps an (extended) SQLite result code to our vocabulary. SQLITE_OK/ROW/DONE are not errors;
// passing them is a bug and yields Errc::internal.
Errc errc_from_sqlite(int sqlite_code) noexcept;

// Shorthand: make_error_code(errc_from_sqlite(code)).
boost::system::error_code sqlite_error(int sqlite_code) noexcept;

}  // namespace civicpub::storage

namespace boost::system {
template <>
struct is_error_code_enum<civicpub::storage::Errc> : std::true_type {};
}  // namespace boost::system
