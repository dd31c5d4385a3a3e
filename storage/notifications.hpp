// Notifications of local accounts (migration 10): who did what to which post, in the order they
// happened (the row id is the Mastodon notification id and the page position).
#pragma once

#include "storage/connection.hpp"
#include "storage/paging.hpp"
#include "storage/records.hpp"

#include <optional>
#include <string>
#include <vector>

namespace civicpub::storage {

struct NotificationRecord {
  std::int64_t id = 0;
  std::int64_t account_id = 0;       // the local account notified
  std::string type;                  // mention, status, reblog, follow, follow_request, favourite, update
  std::int64_t from_account_id = 0;  // who caused it
  std::optional<std::int64_t> post_id;
  Millis created_at = 0;
};

}  // namespace civicpub::storage

namespace civicpub::storage::notifications {

// Adds the notification unless the same (account, type, from, post) exists. Returns the new
// row id, or nullopt when it existed.
Result<std::optional<std::int64_t>> add(Connection& conn, const NotificationRecord& n);

// The account's notifications, newest first; `types` non-empty: only those, `exclude` non-empty:
// not those. Notifications whose post was deleted are left out.
Result<std::vector<NotificationRecord>> list(Connection& conn, std::int64_t account_id,
                                             const std::vector<std::string>& types,
                                             const std::vector<std::string>& exclude,
                                             const PageQuery& query);
Result<std::optional<NotificationRecord>> find(Connection& conn, std::int64_t account_id,
                                               std::int64_t id);
// Returns whether a row went.
Result<bool> dismiss(Connection& conn, std::int64_t account_id, std::int64_t id);
Result<void> clear(Connection& conn, std::int64_t account_id);

}  // namespace civicpub::storage::notifications
