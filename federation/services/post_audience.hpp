// Who a local post is shown to and where its activities go. Create, Update and Delete of one post
// must reach the same people (plus, on an edit, anyone newly mentioned), so they all come here.
#pragma once

#include "federation/as2/note.hpp"
#include "storage/connection.hpp"
#include "storage/records.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace civicpub::federation::services {

// The Mention tags of a Note document (a local post's raw_json: the Note as last sent), so an
// edit or a delete reaches the actors the post mentioned. Unreadable JSON -> none.
std::vector<as2::NoteTag> mention_tags_of(std::string_view note_json);

// The Note sent for a local post: views::note_view (the one conversion GET uses too) plus the
// post's Mention and Hashtag tags and its `replies` collection (post_urls.hpp).
as2::NoteView outgoing_note_view(const storage::PostRecord& post,
                                 const storage::ActorRecord& author,
                                 std::vector<as2::NoteTag> tags);

// Distinct inboxes, sorted: the author's remote followers (shared inbox, else personal; one per
// shared inbox) unless the post is direct, plus every mentioned remote actor's shared-else-
// personal inbox. Local and unknown mentioned actors are skipped. Runs inside a write job so
// the audience matches the committed row.
Result<std::vector<std::string>> audience_inboxes(storage::Connection& conn, std::int64_t author_id,
                                                  storage::Visibility visibility,
                                                  const std::vector<std::string>& mentioned_ids);

}  // namespace civicpub::federation::services
