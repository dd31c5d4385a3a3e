// A stored post as the AS2 renderer sees it. One conversion for every place a local Note is
// rendered (GET on the note, outbox pages, Create/Update on delivery), so a peer that fetches a
// note gets the same document it was sent.
#pragma once

#include "federation/as2/note.hpp"
#include "storage/records.hpp"

namespace civicpub::federation::views {

as2::Visibility as2_visibility(storage::Visibility visibility);

// `author` must be the post's author. Mention tags are not stored yet, so a rendered note carries
// none (direct posts are never served, and followers-only ones only to followers).
as2::NoteView note_view(const storage::PostRecord& post, const storage::ActorRecord& author);

}  // namespace civicpub::federation::views
