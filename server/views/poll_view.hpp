// A local consultation's poll as the AS2 renderer and the pages see it: options with their
// counts (everyone's: Mastodon shows one number per option), the deadline, `closed` once closed,
// and the distinct voters. Who voted is never part of it.
#pragma once

#include "federation/as2/note.hpp"
#include "storage/connection.hpp"
#include "storage/polls.hpp"
#include "storage/records.hpp"

#include <optional>

namespace civicpub::server::views {

federation::as2::PollView poll_view(const storage::PollRecord& poll,
                                    const std::vector<storage::OptionCount>& counts,
                                    std::int64_t voters);

// The poll of post `post_id`; unset when the post has none.
Result<std::optional<federation::as2::PollView>> find_poll_view(storage::Connection& conn,
                                                                std::int64_t post_id);

}  // namespace civicpub::server::views
