#include "server/views/note_view.hpp"

#include "server/views/poll_view.hpp"
#include "server/views/post_urls.hpp"
#include "storage/actors.hpp"
#include "storage/groups.hpp"
#include "storage/post_details.hpp"
#include "storage/posts.hpp"

#include <algorithm>
#include <cctype>

namespace civicpub::server::views {

federation::as2::Visibility as2_visibility(storage::Visibility visibility) {
  switch (visibility) {
    case storage::Visibility::public_: return federation::as2::Visibility::public_;
    case storage::Visibility::unlisted: return federation::as2::Visibility::unlisted;
    case storage::Visibility::followers: return federation::as2::Visibility::followers;
    case storage::Visibility::direct: return federation::as2::Visibility::direct;
  }
  return federation::as2::Visibility::direct;  // unreachable; the narrowest audience if it ever is
}

federation::as2::NoteView note_view(const storage::PostRecord& post, const storage::ActorRecord& author,
                        const NoteDetails& details) {
  federation::as2::NoteView note;
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
  // Mastodon needs the Mention tag as well as the actor in to/cc (addressing_for adds it there).
  for (const auto& m : details.mentions) {
    note.tags.push_back({federation::as2::NoteTag::Kind::mention, m.actor_uri, m.name});
  }
  for (const auto& h : details.hashtags) {
    note.tags.push_back({federation::as2::NoteTag::Kind::hashtag, h.href, "#" + h.name});
  }
  if (details.context_owner && *details.context_owner != author.uri &&
      addresses_context_owner(post.visibility)) {
    note.cc.push_back(*details.context_owner);
  }
  if (details.audience) {
    // A group post: `audience` and the group in `to` (Lemmy requires the group in to/cc).
    note.audience = details.audience;
    note.to.push_back(*details.audience);
  }
  if (details.poll) {
    note.poll = details.poll;
    note.name = post.name;
  }
  if (post.local) {
    note.replies = replies_url(post.ap_id);
    note.likes = likes_url(post.ap_id);
    note.shares = shares_url(post.ap_id);
  }
  return note;
}

Result<NoteDetails> note_details(storage::Connection& conn, std::int64_t post_id) {
  NoteDetails details;
  auto mentions = storage::post_details::mentions(conn, post_id);
  if (!mentions) return mentions.error();
  details.mentions = std::move(*mentions);
  auto hashtags = storage::post_details::hashtags(conn, post_id);
  if (!hashtags) return hashtags.error();
  details.hashtags = std::move(*hashtags);
  auto post = storage::posts::find_by_id(conn, post_id);
  if (!post) return post.error();
  if (*post) {
    auto owner = stored_context_owner(conn, **post);
    if (!owner) return owner.error();
    details.context_owner = std::move(*owner);
    if ((*post)->local && (*post)->object_type == "Question") {
      auto poll = find_poll_view(conn, post_id);
      if (!poll) return poll.error();
      details.poll = std::move(*poll);
    }
  }
  if (*post && (*post)->local) {
    auto group = storage::groups::group_of_post(conn, (*post)->ap_id);
    if (!group) return group.error();
    if (*group) {
      auto actor = storage::actors::find_by_id(conn, **group);
      if (!actor) return actor.error();
      if (*actor) details.audience = (*actor)->uri;
    }
  }
  return details;
}

Result<std::optional<std::string>> stored_context_owner(storage::Connection& conn,
                                                        const storage::PostRecord& post) {
  using Owner = std::optional<std::string>;
  if (post.in_reply_to.empty() || post.thread_root.empty() || post.thread_root == post.ap_id) {
    return Owner();
  }
  auto root = storage::posts::find_by_ap_id(conn, post.thread_root);
  if (!root) return root.error();
  // A stored post that is itself a reply means the chain above has a gap: no known top post.
  if (!*root || !(*root)->in_reply_to.empty() || (*root)->author_id == post.author_id) {
    return Owner();
  }
  auto owner = storage::actors::find_by_id(conn, (*root)->author_id);
  if (!owner) return owner.error();
  if (!*owner || (*owner)->local) return Owner();
  return Owner((*owner)->uri);
}

bool addresses_context_owner(storage::Visibility visibility) {
  return visibility == storage::Visibility::public_ || visibility == storage::Visibility::unlisted;
}

NoteDetails details_of(const std::vector<federation::as2::NoteTag>& tags) {
  NoteDetails details;
  for (const auto& tag : tags) {
    if (tag.kind == federation::as2::NoteTag::Kind::mention) {
      const auto same = [&tag](const storage::MentionRecord& m) { return m.actor_uri == tag.href; };
      if (std::none_of(details.mentions.begin(), details.mentions.end(), same)) {
        details.mentions.push_back({tag.href, tag.name});
      }
      continue;
    }
    std::string name = tag.name.starts_with('#') ? tag.name.substr(1) : tag.name;
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (name.empty()) continue;
    const auto same = [&name](const storage::HashtagRecord& h) { return h.name == name; };
    if (std::none_of(details.hashtags.begin(), details.hashtags.end(), same)) {
      details.hashtags.push_back({std::move(name), tag.href});
    }
  }
  // The order storage reads them back in, so a fetched Note equals the one sent.
  std::sort(details.hashtags.begin(), details.hashtags.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  return details;
}

}  // namespace civicpub::server::views
