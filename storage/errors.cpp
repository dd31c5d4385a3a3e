#include "storage/errors.hpp"

#include <sqlite3.h>

#include <string>

namespace civicpub::storage {
namespace {

class StorageCategory final : public KindedCategory {
 public:
  const char* name() const noexcept override { return "civicpub.storage"; }

  std::string message(int value) const override {
    switch (static_cast<Errc>(value)) {
      case Errc::not_found: return "storage: no such row";
      case Errc::conflict: return "storage: already exists (unique constraint)";
      case Errc::busy: return "storage: database busy or locked";
      case Errc::constraint: return "storage: constraint violated";
      case Errc::io: return "storage: I/O error";
      case Errc::corrupt: return "storage: database corrupt or unexpected value";
      case Errc::misuse: return "storage: API misuse";
      case Errc::migration_failed: return "storage: schema migration failed";
      case Errc::schema_too_new: return "storage: database schema is newer than this binary";
      case Errc::closed: return "storage: database closed";
      case Errc::aborted: return "storage: transaction rolled back";
      case Errc::internal: return "storage: internal SQLite error";
    }
    return "storage: unknown error " + std::to_string(value);
  }

  ErrorKind kind(int value) const noexcept override {
    switch (static_cast<Errc>(value)) {
      case Errc::not_found: return ErrorKind::not_found;
      case Errc::conflict: return ErrorKind::conflict;
      // A busy database or a batch rolled back under a job: the same call may succeed later.
      case Errc::busy:
      case Errc::aborted: return ErrorKind::transient;
      default: return ErrorKind::internal;
    }
  }
};

}  // namespace

const KindedCategory& storage_category() noexcept {
  static const StorageCategory category;
  return category;
}

boost::system::error_code make_error_code(Errc e) noexcept {
  return {static_cast<int>(e), storage_category()};
}

Errc errc_from_sqlite(int code) noexcept {
  switch (code) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return Errc::conflict;
    default:
      break;
  }
  switch (code & 0xff) {  // the primary result code
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return Errc::busy;
    case SQLITE_CONSTRAINT: return Errc::constraint;
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_NOLFS: return Errc::io;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_FORMAT: return Errc::corrupt;
    case SQLITE_MISUSE:
    case SQLITE_RANGE:
    case SQLITE_ERROR:  // SQL syntax error, no such table: our SQL is wrong
      return Errc::misuse;
    case SQLITE_NOTFOUND: return Errc::not_found;
    case SQLITE_ABORT: return Errc::aborted;
    default: return Errc::internal;
  }
}

boost::system::error_code sqlite_error(int code) noexcept {
  return make_error_code(errc_from_sqlite(code));
}

}  // namespace civicpub::storage
