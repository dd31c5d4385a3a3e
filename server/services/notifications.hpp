// Notifications of local accounts (docs/client-api.md): created in the write transaction of the
// event that causes them, by local actions (posting, following, favouriting) and by inbound
// handlers alike. `notify` is the one place a notification comes into being; the streaming API
// learns of each one after its commit (services::NotificationRelay watches the table).
#pragma once

#include "storage/connection.hpp"
#include "storage/database.hpp"

#include <boost/asio/awaitable.hpp>
#include "storage/notifications.hpp"
#include "storage/records.hpp"

#include <optional>
#include <string_view>

namespace civicpub::server::services {

enum class NotificationType { mention, status, reblog, follow, follow_request, favourite, update };

std::string_view to_string(NotificationType type) noexcept;
// The Mastodon names: mention, status, reblog, follow, follow_request, favourite, update.
bool is_notification_type(std::string_view name) noexcept;

// The one function that creates a notification: `account_id` (a local account) is told that
// `from_id` did `type` (to `post_id`). Nothing when the account would notify itself, is not
// local, or was told the same already. Returns whether one was stored.
Result<bool> notify(storage::Connection& conn, std::int64_t account_id, NotificationType type,
                    std::int64_t from_id, std::optional<std::int64_t> post_id,
                    storage::Millis now);

// A post just stored (published here or received): `mention` for every mentioned local
// account, and for the local author of the post it replies to (a reply is addressed to them
// even when the peer left the mention out); `status` for the local accounts that follow the
// author with "notify me" (not for direct posts, nor replies to others).
Result<void> notify_post_created(storage::Connection& conn, const storage::PostRecord& post,
                                 storage::Millis now);

// A post just edited: `update` for the local accounts that reblogged or favourited it.
Result<void> notify_post_updated(storage::Connection& conn, const storage::PostRecord& post,
                                 storage::Millis now);

// POST /api/v1/notifications/:id/dismiss and /clear. Dismissing another account's or an unknown
// notification: storage::Errc::not_found.
boost::asio::awaitable<Result<void>> dismiss_notification(storage::Database& db,
                                                          std::int64_t account_id,
                                                          std::int64_t id);
boost::asio::awaitable<Result<void>> clear_notifications(storage::Database& db,
                                                         std::int64_t account_id);

}  // namespace civicpub::server::services
