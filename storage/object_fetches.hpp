// Remote objects we fetched or tried to fetch for threads (ancestors now, backfill later): a
// cooldown per object and a budget per thread keep one thread from costing unbounded requests.
#pragma once

#include "storage/connection.hpp"
#include "storage/records.hpp"

#include <optional>
#include <string_view>

namespace civicpub::storage::object_fetches {

Result<std::optional<ObjectFetchRecord>> find(Connection& conn, std::string_view uri);

// Records an attempt at `at` for `thread` (empty: none); `ok` resets the failure count and sets
// succeeded_at, a failure increments it and keeps `error`.
Result<void> record(Connection& conn, std::string_view uri, std::string_view thread, Millis at,
                    bool ok, std::string_view error = {});

// Attempts recorded for `thread` at or after `since` (the budget's window).
Result<std::int64_t> count_for_thread(Connection& conn, std::string_view thread, Millis since);

}  // namespace civicpub::storage::object_fetches
