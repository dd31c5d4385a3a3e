#include "server/views/actor_views.hpp"

#include "federation/keys/assertion_key.hpp"
#include "server/views/error.hpp"
#include "server/views/post_urls.hpp"
#include "storage/groups.hpp"
#include "storage/actors.hpp"
#include "storage/follows.hpp"
#include "storage/posts.hpp"

namespace civicpub::server::views {

Result<storage::ActorRecord> get_local_actor(storage::Database& db, std::string_view username) {
  auto found = db.read([&](storage::Connection& conn) {
    return storage::actors::find_local_by_username(conn, username);
  });
  if (!found) return found.error();
  if (!*found) return ViewError::not_found;
  return std::move(**found);
}

Result<std::string> assertion_key(storage::Database& db, std::int64_t actor_id) {
  auto found =
      db.read([&](storage::Connection& conn) { return federation::local_assertion_multikey(conn, actor_id); });
  if (!found) return found.error();
  return found->value_or(std::string());
}

Result<std::optional<federation::as2::GroupActorExtras>> group_extras(
    storage::Database& db, const storage::ActorRecord& actor) {
  using Extras = std::optional<federation::as2::GroupActorExtras>;
  auto settings = db.read([&](storage::Connection& conn) {
    return storage::groups::find(conn, actor.id);
  });
  if (!settings) return settings.error();
  if (!*settings) return Extras();
  federation::as2::GroupActorExtras extras;
  extras.moderators = group_moderators_url(actor.uri);
  extras.featured = group_featured_url(actor.uri);
  extras.posting_restricted_to_mods = (*settings)->posting_restricted_to_mods;
  extras.sensitive = (*settings)->sensitive;
  return Extras(std::move(extras));
}

Result<ProfileData> profile(storage::Database& db, std::string_view username, std::uint64_t page,
                            std::uint64_t page_size) {
  return db.read([&](storage::Connection& conn) -> Result<ProfileData> {
    auto found = storage::actors::find_local_by_username(conn, username);
    if (!found) return found.error();
    if (!*found) return ViewError::not_found;
    if ((*found)->deleted_at) return ViewError::gone;
    ProfileData out;
    out.actor = std::move(**found);
    out.page = page;
    const auto id = out.actor.id;
    auto posts = storage::posts::count_by_author(conn, id, true);
    if (!posts) return posts.error();
    auto followers = storage::follows::count_followers(conn, id);
    if (!followers) return followers.error();
    auto following = storage::follows::count_following(conn, id);
    if (!following) return following.error();
    out.posts = *posts;
    out.followers = *followers;
    out.following = *following;
    const std::uint64_t offset = (page - 1) * page_size;
    if (page == 0 || offset >= static_cast<std::uint64_t>(out.posts)) return out;
    storage::posts::AuthorPageQuery query;
    query.author_id = id;
    query.limit = static_cast<int>(page_size);
    query.offset = static_cast<int>(offset);
    query.public_only = true;
    auto recent = storage::posts::list_by_author(conn, query);
    if (!recent) return recent.error();
    out.recent = std::move(*recent);
    // One query for the page's reply counts, not one per post (issue 15).
    std::vector<std::string> uris;
    uris.reserve(out.recent.size());
    for (const auto& post : out.recent) uris.push_back(post.ap_id);
    auto replies = storage::posts::count_replies_each(conn, uris, true);
    if (!replies) return replies.error();
    for (const auto& post : out.recent) {
      const auto n = replies->find(post.ap_id);
      out.reply_counts.push_back(n == replies->end() ? 0 : n->second);
    }
    out.has_older = offset + out.recent.size() < static_cast<std::uint64_t>(out.posts);
    return out;
  });
}

}  // namespace civicpub::server::views
