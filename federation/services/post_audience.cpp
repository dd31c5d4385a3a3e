#include "federation/services/post_audience.hpp"

#include "federation/as2/reader.hpp"
#include "federation/post_urls.hpp"
#include "federation/views/note_view.hpp"
#include "storage/actors.hpp"
#include "storage/follows.hpp"

#include <algorithm>

namespace civicpub::federation::services {

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

as2::NoteView outgoing_note_view(const storage::PostRecord& post,
                                 const storage::ActorRecord& author,
                                 std::vector<as2::NoteTag> tags) {
  auto view = views::note_view(post, author);
  view.tags = std::move(tags);
  view.replies = replies_url(post.ap_id);
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
