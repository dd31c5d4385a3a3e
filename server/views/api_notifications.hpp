// Read models of notifications in the client API: Notification entities (v1) and grouped
// notifications (v2, Mastodon 4.3's GroupedNotificationsResults).
#pragma once

#include "server/views/api_reads.hpp"
#include "storage/paging.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace civicpub::server::views {

struct NotificationFilter {
  std::vector<std::string> types;    // types[]: only these (empty: all)
  std::vector<std::string> exclude;  // exclude_types[]
};

// A page of the account's notifications, newest first, as Notification entities (`status` for
// mention, status, reblog, favourite and update; notifications of posts the account may no
// longer see are left out). Positions are notification ids.
Result<TimelinePage> notifications_page(storage::Database& db, std::int64_t account_id,
                                        const NotificationFilter& filter,
                                        const storage::PageQuery& query, const ApiView& view);

// One notification of the account (ViewError::not_found for another's or a malformed id).
Result<std::string> notification_json(storage::Database& db, std::int64_t account_id,
                                      std::string_view id, const ApiView& view);

// A page grouped as /api/v2/notifications answers: {"accounts", "statuses",
// "notification_groups"}. Notifications of a type in `grouped_types` with the same type and
// status (follows: the same type) share a group_key "<type>-<status id>" ("follow"); others are
// "ungrouped-<id>". Groups are formed within the page.
Result<TimelinePage> grouped_notifications_page(storage::Database& db, std::int64_t account_id,
                                                const NotificationFilter& filter,
                                                const std::vector<std::string>& grouped_types,
                                                const storage::PageQuery& query,
                                                const ApiView& view);

}  // namespace civicpub::server::views
