// "Notify me when they post" (issue 13: Mastodon's `notify` on POST /api/v1/accounts/:id/follow,
// the relationship's `notifying`, and `status` notifications): a flag on the follows row
// (migration 15), so it goes with the follow when that is undone.
#pragma once

#include "storage/connection.hpp"

#include <cstdint>
#include <vector>

namespace civicpub::storage::follow_notify {

// Sets the flag of the follow of `follower_id` to `target_id`; false when there is no follow.
Result<bool> set(Connection& conn, std::int64_t follower_id, std::int64_t target_id, bool notify);
Result<bool> notifying(Connection& conn, std::int64_t follower_id, std::int64_t target_id);
// The local accounts (not deleted) that follow `target_id` (accepted) with the flag set.
Result<std::vector<std::int64_t>> local_subscribers(Connection& conn, std::int64_t target_id);

}  // namespace civicpub::storage::follow_notify
