// Who learns of a notification row as it is inserted (issue 13: the streaming API). SQLite's
// update hook on the writer connection reports each row inserted into `notifications`, whichever
// code path inserted it, so no caller of services::notify needs to know about streaming. The
// report comes inside the transaction, before its commit: the row may still be rolled back, so a
// listener only remembers the id and reads the row after the commit.
#pragma once

#include "storage/connection.hpp"
#include "storage/notifications.hpp"

#include <functional>
#include <optional>

namespace civicpub::storage::notifications {

using InsertListener = std::function<void(std::int64_t id)>;

// Calls `*listener` (on the connection's thread, inside the transaction) with the id of each
// notification inserted through `conn`. nullptr stops it. The connection has one such hook (it
// replaces any earlier one); `*listener` must outlive it and must not use `conn`.
void watch_inserts(Connection& conn, const InsertListener* listener);

// The notification with this id, whoever it is for.
Result<std::optional<NotificationRecord>> find_by_id(Connection& conn, std::int64_t id);

}  // namespace civicpub::storage::notifications
