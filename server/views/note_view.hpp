// A stored post as the AS2 renderer sees it. One conversion for every place a local Note is
// rendered (GET on the note, outbox pages, Create/Update/Delete on delivery), so a peer that
// fetches a note gets the same document it was sent.
#pragma once

#include "federation/as2/note.hpp"
#include "storage/connection.hpp"
#include "storage/records.hpp"

#include <optional>
#include <string>
#include <vector>

namespace civicpub::server::views {

federation::as2::Visibility as2_visibility(storage::Visibility visibility);

// What a post carries besides its row: its Mention and Hashtag tags (storage/post_details.hpp),
// and for a reply in a thread owned elsewhere the thread's owner (FEP-7888 context.attributedTo).
struct NoteDetails {
  std::vector<storage::MentionRecord> mentions;
  std::vector<storage::HashtagRecord> hashtags;
  std::optional<std::string> context_owner;  // an actor id; unset in threads owned here
  std::optional<std::string> audience;       // the group's id for a post in one of our groups
  std::optional<federation::as2::PollView> poll;  // a local consultation (server/views/poll_view)
};

// `author` must be the post's author. The tags come from `details` (mentions first, in their
// stored order, then hashtags as "#name"). A public or unlisted reply addresses the thread's
// owner (`details.context_owner`) in `cc`, without a Mention (FEP-7888 asks to address
// context.attributedTo; a followers-only or direct reply is not widened to it). A local post
// links its collections: `replies`, `likes` and `shares` (server/views/post_urls.hpp), all served
// by the post routes.
federation::as2::NoteView note_view(const storage::PostRecord& post, const storage::ActorRecord& author,
                        const NoteDetails& details = {});

// The stored tags of post `post_id`, and its thread's owner when stored_context_owner knows it.
Result<NoteDetails> note_details(storage::Connection& conn, std::int64_t post_id);

// The owner of the thread of the reply `post` when someone else's server owns it: the author of
// the stored top post (`thread_root`), when that author is remote and not the post's author.
// Unset for a top post, a thread owned here, or a top post not stored (the caller may then ask
// the context collection, federation::PostFetcher::context_owner).
Result<std::optional<std::string>> stored_context_owner(storage::Connection& conn,
                                                        const storage::PostRecord& post);

// Whether a post of this visibility addresses its thread's owner (public and unlisted only).
bool addresses_context_owner(storage::Visibility visibility);

// The tags to store for a composed Note's tags, in the order storage reads them back: mentions
// keep href and name (first of each actor, in order); hashtags lose the '#', are lowercased (the
// form storage/post_details.hpp keeps) and sorted by name, their href kept.
NoteDetails details_of(const std::vector<federation::as2::NoteTag>& tags);

}  // namespace civicpub::server::views
