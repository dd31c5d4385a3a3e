// A stored post as the AS2 renderer sees it. One conversion for every place a local Note is
// rendered (GET on the note, outbox pages, Create/Update/Delete on delivery), so a peer that
// fetches a note gets the same document it was sent.
#pragma once

#include "federation/as2/note.hpp"
#include "storage/connection.hpp"
#include "storage/records.hpp"

#include <vector>

namespace civicpub::federation::views {

as2::Visibility as2_visibility(storage::Visibility visibility);

// What a post carries besides its row: its Mention and Hashtag tags (storage/post_details.hpp).
struct NoteDetails {
  std::vector<storage::MentionRecord> mentions;
  std::vector<storage::HashtagRecord> hashtags;
};

// `author` must be the post's author. The tags come from `details` (mentions first, in their
// stored order, then hashtags as "#name"). A local post links its collections: `replies`,
// `likes` and `shares` (federation/post_urls.hpp), all served by the post routes.
as2::NoteView note_view(const storage::PostRecord& post, const storage::ActorRecord& author,
                        const NoteDetails& details = {});

// The stored tags of post `post_id`.
Result<NoteDetails> note_details(storage::Connection& conn, std::int64_t post_id);

// The tags to store for a composed Note's tags, in the order storage reads them back: mentions
// keep href and name (first of each actor, in order); hashtags lose the '#', are lowercased (the
// form storage/post_details.hpp keeps) and sorted by name, their href kept.
NoteDetails details_of(const std::vector<as2::NoteTag>& tags);

}  // namespace civicpub::federation::views
