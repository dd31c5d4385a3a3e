#include "federation/views/note_view.hpp"

namespace civicpub::federation::views {

as2::Visibility as2_visibility(storage::Visibility visibility) {
  switch (visibility) {
    case storage::Visibility::public_: return as2::Visibility::public_;
    case storage::Visibility::unlisted: return as2::Visibility::unlisted;
    case storage::Visibility::followers: return as2::Visibility::followers;
    case storage::Visibility::direct: return as2::Visibility::direct;
  }
  return as2::Visibility::direct;  // unreachable; the narrowest audience if it ever is
}

as2::NoteView note_view(const storage::PostRecord& post, const storage::ActorRecord& author) {
  as2::NoteView note;
  note.id = post.ap_id;
  note.attributed_to = author.uri;
  note.content_html = post.content_html;
  if (!post.summary.empty()) note.summary = post.summary;
  note.sensitive = post.sensitive;
  note.published = post.published;
  note.updated = post.updated;
  note.url = post.url.empty() ? post.ap_id : post.url;
  if (!post.in_reply_to.empty()) note.in_reply_to = post.in_reply_to;
  if (!post.context.empty()) note.context = post.context;
  note.visibility = as2_visibility(post.visibility);
  note.followers = author.followers;
  note.language = post.language;
  // `replies` stays absent until the replies collection is served: a link that answers 404
  // would send Mastodon 4.5's reply crawler on a useless fetch for every note.
  return note;
}

}  // namespace civicpub::federation::views
