// Keyset pages of follow relations for the client API (accounts/:id/followers, :id/following,
// follow_requests): each listed actor with its follows row id, the page position.
#pragma once

#include "storage/connection.hpp"
#include "storage/paging.hpp"
#include "storage/records.hpp"

#include <vector>

namespace civicpub::storage::follows {

struct ListedActor {
  std::int64_t position = 0;  // the follows row id
  ActorRecord actor;
};

// The actors following `target_id` with a follow in `state` (accepted: followers; pending: follow
// requests), newest first, deleted actors left out.
Result<std::vector<ListedActor>> followers_list(Connection& conn, std::int64_t target_id,
                                                FollowState state, const PageQuery& query);
// The actors `follower_id` follows (accepted), newest first, deleted actors left out.
Result<std::vector<ListedActor>> following_list(Connection& conn, std::int64_t follower_id,
                                                const PageQuery& query);

}  // namespace civicpub::storage::follows
