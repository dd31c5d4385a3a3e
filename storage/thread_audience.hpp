// Who a thread concerns, for its owner's server (issue 5, thread authority): which local account
// owns the conversation a post belongs to, and where its remote participants receive activities.
// Apart from posts.hpp because only the inbox's thread authority step asks these questions.
#pragma once

#include "storage/connection.hpp"
#include "storage/records.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace civicpub::storage::thread_audience {

// The local top post of a conversation and its author (the thread owner).
struct LocalThread {
  std::string root;     // the top post's ap_id
  std::string context;  // the top post's context (its conversation collection)
  std::int64_t owner_id = 0;
};

// The local top post (local, not a reply) that is `root`, or else whose context is `context`
// (a reply whose chain has a gap still names the conversation by its context); deleted roots
// included, since their threads live on. Either key may be empty (then it is not used).
Result<std::optional<LocalThread>> find_local_thread(Connection& conn, std::string_view root,
                                                     std::string_view context);

// Where the remote participants of a thread receive activities: the distinct shared inbox, else
// inbox, of every remote, not deleted author of a post stored with thread_root `root` or (when
// `context` is not empty) with context `context`, deleted posts included (their authors took
// part). Sorted.
Result<std::vector<std::string>> participant_inboxes(Connection& conn, std::string_view root,
                                                     std::string_view context);

}  // namespace civicpub::storage::thread_audience
