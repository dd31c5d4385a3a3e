// Who a local post is shown to and where its activities go. Create, Update and Delete of one post
// must reach the same people (plus, on an edit, anyone newly mentioned), so they all come here.
// The mentioned actors of a stored post are its rows in post_mentions; a reply mentions its
// parent's author, so the parent's author is among them.
#pragma once

#include "server/views/note_view.hpp"
#include "storage/connection.hpp"
#include "storage/records.hpp"

#include <string>
#include <vector>

namespace civicpub::server::services {

// The actor ids of the mentions, in order.
std::vector<std::string> mention_ids(const views::NoteDetails& details);

// Who a post of `visibility` is addressed to besides the followers: the mentioned actors and, for
// a public or unlisted reply in a thread owned elsewhere, the thread's owner (FEP-7888: a reply
// to a reply would otherwise never reach the server that keeps the conversation together).
std::vector<std::string> addressed_ids(const views::NoteDetails& details,
                                       storage::Visibility visibility);

// Distinct inboxes, sorted: the author's remote followers (shared inbox, else personal; one per
// shared inbox) unless the post is direct, plus every mentioned remote actor's shared-else-
// personal inbox. Local and unknown mentioned actors are skipped. Runs inside a federation::write job so
// the audience matches the committed row.
Result<std::vector<std::string>> audience_inboxes(storage::Connection& conn, std::int64_t author_id,
                                                  storage::Visibility visibility,
                                                  const std::vector<std::string>& mentioned_ids);

}  // namespace civicpub::server::services
