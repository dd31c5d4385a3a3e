// The votes local accounts sent to other servers' polls (migration 10): what the poll entity of
// the client API shows as `voted` and `own_votes`, and what refuses a second vote. The poll's
// counts are its author's, read from the stored Question.
#pragma once

#include "storage/connection.hpp"
#include "storage/records.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace civicpub::storage::remote_poll_votes {

// One row per option chosen; false when the voter had already chosen it.
Result<bool> add(Connection& conn, std::int64_t post_id, std::int64_t voter_id, int position,
                 const std::string& activity_uri, Millis voted_at);

// The positions `voter_id` chose on the poll of post `post_id`, in order (empty: no vote).
Result<std::vector<int>> choices_of(Connection& conn, std::int64_t post_id,
                                    std::int64_t voter_id);

}  // namespace civicpub::storage::remote_poll_votes
