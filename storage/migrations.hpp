// Schema migrations: numbered, applied in order, each in its own transaction, tracked with
// PRAGMA user_version. A merged migration is never edited; a change is a new migration.
#pragma once

#include "storage/connection.hpp"

#include <span>
#include <string_view>

namespace civicpub::storage {

struct Migration {
  int version;           // 1, 2, 3, ... (the user_version after it applied)
  std::string_view sql;  // one or more statements
};

// Every migration this binary knows, in order.
std::span<const Migration> migrations() noexcept;

// The newest schema version this binary knows.
int latest_schema_version() noexcept;

// PRAGMA user_version of the database.
Result<int> schema_version(Connection& conn);

// Applies every missing migration and returns the resulting version. A database whose version is
// newer than this binary knows is refused (Errc::schema_too_new): running old code on a new schema
// could silently lose data. A failing migration is rolled back (Errc::migration_failed) and the
// database stays at the last good version.
Result<int> migrate(Connection& conn);
// The same against an explicit list (tests use it to exercise failure and ordering).
Result<int> migrate(Connection& conn, std::span<const Migration> list);

}  // namespace civicpub::storage
