// Prepared statements kept per connection between uses (storage-internal: connection.cpp and
// statement.cpp only). Preparing costs more than running most of civicpub's queries: a thread
// page ran about 200 small queries, each prepared anew (docs/performance.md). A Statement now
// takes an idle prepared statement for the same SQL text when there is one, and gives its own
// back (reset, bindings cleared) instead of finalizing it.
//
// The cache is a side table keyed by the sqlite3 handle, so Connection's layout (included
// everywhere) is untouched. A connection registers at open and drops its statements before it
// closes; a statement of a connection that is not registered (closed) is finalized as before.
// Bounded: at most kStatementsPerConnection idle statements per connection (the SQL is
// civicpub's own text, never remote input); one in use is never handed out twice. No lock is
// taken per statement: like SQLite itself (SQLITE_OPEN_NOMUTEX), the cache relies on each
// connection being used by one thread at a time (statement_cache.cpp).
#pragma once

#include <cstddef>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace civicpub::storage::detail {

inline constexpr std::size_t kStatementsPerConnection = 256;

void register_statement_cache(sqlite3* db);
// Finalizes the idle statements of `db`; call before closing it.
void drop_statement_cache(sqlite3* db);

// An idle statement prepared from exactly `sql`, removed from the cache; nullptr when none.
sqlite3_stmt* take_cached_statement(sqlite3* db, std::string_view sql);
// Resets `stmt` and keeps it for the next take (or finalizes it: unregistered connection, cache
// full, or an idle one for the same SQL already kept). Accepts nullptr.
void recycle_statement(sqlite3_stmt* stmt);

// Idle statements kept for `db` (tests).
std::size_t cached_statement_count(sqlite3* db);

}  // namespace civicpub::storage::detail
