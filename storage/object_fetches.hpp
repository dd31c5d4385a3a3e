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

// Objects under `origin` (scheme://host[:port]) attempted at or after `since`: the host's budget.
Result<std::int64_t> count_under(Connection& conn, std::string_view origin, Millis since);

// A thread's root became known further up (posts::relink_thread_root): the records of
// `old_thread` count for `new_thread` from now on, so the budget follows the thread as its
// parents arrive. Returns how many records moved.
Result<std::int64_t> move_thread(Connection& conn, std::string_view old_thread,
                                 std::string_view new_thread);

}  // namespace civicpub::storage::object_fetches
