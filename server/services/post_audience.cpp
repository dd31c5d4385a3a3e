#include "server/services/post_audience.hpp"

#include "storage/actors.hpp"
#include "storage/follows.hpp"

#include <algorithm>

namespace civicpub::server::services {

std::vector<std::string> mention_ids(const views::NoteDetails& details) {
  std::vector<std::string> ids;
  ids.reserve(details.mentions.size());
  for (const auto& m : details.mentions) ids.push_back(m.actor_uri);
  return ids;
}

std::vector<std::string> addressed_ids(const views::NoteDetails& details,
                                       storage::Visibility visibility) {
  auto ids = mention_ids(details);
  if (details.context_owner && views::addresses_context_owner(visibility)) {
    ids.push_back(*details.context_owner);
  }
  return ids;
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

}  // namespace civicpub::server::services
