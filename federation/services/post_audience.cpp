#include "federation/services/post_audience.hpp"

#include "federation/as2/reader.hpp"
#include "federation/post_urls.hpp"
#include "storage/actors.hpp"
#include "storage/follows.hpp"

#include <algorithm>

namespace civicpub::federation::services {

as2::Visibility to_as2(storage::Visibility visibility) {
  switch (visibility) {
    case storage::Visibility::public_: return as2::Visibility::public_;
    case storage::Visibility::unlisted: return as2::Visibility::unlisted;
    case storage::Visibility::followers: return as2::Visibility::followers;
    case storage::Visibility::direct: return as2::Visibility::direct;
  }
  return as2::Visibility::direct;  // unreachable; the narrowest audience if it ever is not
}

std::vector<as2::NoteTag> mention_tags_of(std::string_view note_json) {
  std::vector<as2::NoteTag> tags;
  auto doc = as2::parse_json(note_json);
  if (!doc || !doc->IsObject()) return tags;
  const auto* tag = as2::find_member(*doc, "tag");
  if (tag == nullptr || !tag->IsArray()) return tags;
  for (const auto& entry : tag->GetArray()) {
    if (!entry.IsObject() || !as2::has_type(entry, "Mention")) continue;
    auto href = as2::member_id(entry, "href");
    const auto* name = as2::find_member(entry, "name");
    if (!href) continue;
    tags.push_back({as2::NoteTag::Kind::mention, std::move(*href),
                    name && name->IsString() ? std::string(name->GetString()) : std::string()});
  }
  return tags;
}

as2::NoteView note_view(const storage::PostRecord& post, const storage::ActorRecord& author,
                        std::vector<as2::NoteTag> tags) {
  as2::NoteView view;
  view.id = post.ap_id;
  view.attributed_to = author.uri;
  view.content_html = post.content_html;
  if (!post.summary.empty()) view.summary = post.summary;
  view.sensitive = post.sensitive;
  view.published = post.published;
  view.updated = post.updated;
  view.url = post.ap_id;  // Mastodon links `url`; ours serves HTML and AS2 under the id
  if (!post.in_reply_to.empty()) view.in_reply_to = post.in_reply_to;
  if (!post.context.empty()) view.context = post.context;
  view.visibility = to_as2(post.visibility);
  view.followers = author.followers;
  view.tags = std::move(tags);
  view.replies = replies_url(post.ap_id);
  view.language = post.language;
  return view;
}

Result<std::vector<std::string>> audience_inboxes(storage::Connection& conn, std::int64_t author_id,
                                                  storage::Visibility visibility,
                                                  const std::vector<std::string>& mentioned_ids) {
  std::vector<std::string> inboxes;
  if (visibility != storage::Visibility::direct) {
    auto followers = storage::follows::follower_inboxes(conn, author_id);
    if (!followers) return followers.error();
    inboxes = std::move(*followers);
  }
  for (const auto& id : mentioned_ids) {
    auto actor = storage::actors::find_by_uri(conn, id);
    if (!actor) return actor.error();
    if (!*actor || (*actor)->local || (*actor)->deleted_at) continue;
    const auto& a = **actor;
    inboxes.push_back(a.shared_inbox.empty() ? a.inbox : a.shared_inbox);
  }
  std::sort(inboxes.begin(), inboxes.end());
  inboxes.erase(std::unique(inboxes.begin(), inboxes.end()), inboxes.end());
  return inboxes;
}

}  // namespace civicpub::federation::services
