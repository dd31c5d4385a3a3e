#include "storage/errors.hpp"

#include <catch2/catch.hpp>
#include <sqlite3.h>

using namespace civicpub::storage;
using civicpub::ErrorKind;
using civicpub::kind_of;

TEST_CASE("storage errors map SQLite codes to our vocabulary") {
  CHECK(errc_from_sqlite(SQLITE_CONSTRAINT_UNIQUE) == Errc::conflict);
  CHECK(errc_from_sqlite(SQLITE_CONSTRAINT_PRIMARYKEY) == Errc::conflict);
  CHECK(errc_from_sqlite(SQLITE_CONSTRAINT_NOTNULL) == Errc::constraint);
  CHECK(errc_from_sqlite(SQLITE_CONSTRAINT_FOREIGNKEY) == Errc::constraint);
  CHECK(errc_from_sqlite(SQLITE_CONSTRAINT_CHECK) == Errc::constraint);
  CHECK(errc_from_sqlite(SQLITE_BUSY) == Errc::busy);
  CHECK(errc_from_sqlite(SQLITE_BUSY_SNAPSHOT) == Errc::busy);
  CHECK(errc_from_sqlite(SQLITE_LOCKED) == Errc::busy);
  CHECK(errc_from_sqlite(SQLITE_IOERR_WRITE) == Errc::io);
  CHECK(errc_from_sqlite(SQLITE_FULL) == Errc::io);
  CHECK(errc_from_sqlite(SQLITE_CANTOPEN) == Errc::io);
  CHECK(errc_from_sqlite(SQLITE_READONLY) == Errc::io);
  CHECK(errc_from_sqlite(SQLITE_CORRUPT) == Errc::corrupt);
  CHECK(errc_from_sqlite(SQLITE_NOTADB) == Errc::corrupt);
  CHECK(errc_from_sqlite(SQLITE_ERROR) == Errc::misuse);
  CHECK(errc_from_sqlite(SQLITE_RANGE) == Errc::misuse);
  CHECK(errc_from_sqlite(SQLITE_NOMEM) == Errc::internal);
  CHECK(errc_from_sqlite(SQLITE_OK) == Errc::internal);
}

TEST_CASE("storage errors carry kinds and readable messages") {
  CHECK(kind_of(make_error_code(Errc::conflict)) == ErrorKind::conflict);
  CHECK(kind_of(make_error_code(Errc::busy)) == ErrorKind::transient);
  CHECK(kind_of(make_error_code(Errc::aborted)) == ErrorKind::transient);
  CHECK(kind_of(make_error_code(Errc::not_found)) == ErrorKind::not_found);
  CHECK(kind_of(make_error_code(Errc::corrupt)) == ErrorKind::internal);
  CHECK(kind_of(make_error_code(Errc::schema_too_new)) == ErrorKind::internal);
  CHECK(kind_of(sqlite_error(SQLITE_CONSTRAINT_UNIQUE)) == ErrorKind::conflict);
  const boost::system::error_code ec = Errc::schema_too_new;  // is_error_code_enum
  CHECK(ec.message().find("newer") != std::string::npos);
  CHECK(std::string(ec.category().name()) == "civicpub.storage");
  CHECK(make_error_code(static_cast<Errc>(999)).message().find("999") != std::string::npos);
}
