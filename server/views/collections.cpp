#include "server/views/collections.hpp"

#include "federation/as2/activities.hpp"
#include "server/views/post_urls.hpp"
#include "server/views/error.hpp"
#include "server/views/note_view.hpp"
#include "storage/actors.hpp"
#include "storage/follows.hpp"
#include "storage/group_moderation.hpp"
#include "storage/groups.hpp"
#include "storage/posts.hpp"

namespace civicpub::server::views {
namespace {

using storage::Connection;

Result<std::int64_t> count(Connection& conn, ActorCollection which, std::int64_t actor_id,
                           bool group) {
  switch (which) {
    case ActorCollection::followers: return storage::follows::count_followers(conn, actor_id);
    case ActorCollection::following: return storage::follows::count_following(conn, actor_id);
    case ActorCollection::outbox:
      if (group) return storage::groups::count_posts(conn, actor_id);
      return storage::posts::count_by_author(conn, actor_id, true);
    case ActorCollection::moderators: {
      auto mods = storage::groups::moderators(conn, actor_id);
      if (!mods) return mods.error();
      return static_cast<std::int64_t>(mods->size());
    }
    case ActorCollection::featured: return storage::groups::count_featured(conn, actor_id);
  }
  return std::int64_t{0};
}

std::string collection_id(const storage::ActorRecord& actor, ActorCollection which) {
  switch (which) {
    case ActorCollection::followers: return actor.followers;
    case ActorCollection::following: return actor.following;
    case ActorCollection::outbox: return actor.outbox;
    case ActorCollection::moderators: return group_moderators_url(actor.uri);
    case ActorCollection::featured: return group_featured_url(actor.uri);
  }
  return actor.outbox;
}

// A group's outbox: its Announces as sent. They were rendered by our JSON writer from a parsed
// document (the embedded activity included), so they are well-formed JSON.
Result<void> fill_group_outbox(Connection& conn, const storage::ActorRecord& actor, int limit,
                               int offset, federation::as2::CollectionPageView& page) {
  auto posts = storage::groups::posts_page(conn, actor.id, limit, offset);
  if (!posts) return posts.error();
  for (const auto& p : *posts) page.items.push_back(p.announce_json);
  page.items_are_json = true;
  return {};
}

Result<void> fill_items(Connection& conn, const storage::ActorRecord& actor, ActorCollection which,
                        std::uint64_t offset, federation::as2::CollectionPageView& page,
                        bool group) {
  const int limit = static_cast<int>(page.page_size);
  if (which == ActorCollection::featured) {
    auto featured = storage::groups::featured(conn, actor.id, limit, static_cast<int>(offset));
    if (!featured) return featured.error();
    page.items = std::move(*featured);
    return {};
  }
  if (which == ActorCollection::moderators) {
    auto mods = storage::groups::moderators(conn, actor.id);
    if (!mods) return mods.error();
    for (std::size_t i = offset; i < mods->size() && page.items.size() < page.page_size; ++i) {
      page.items.push_back((*mods)[i].uri);
    }
    return {};
  }
  if (which == ActorCollection::outbox && group) {
    return fill_group_outbox(conn, actor, limit, static_cast<int>(offset), page);
  }
  if (which == ActorCollection::outbox) {
    storage::posts::AuthorPageQuery query;
    query.author_id = actor.id;
    query.limit = limit;
    query.offset = static_cast<int>(offset);
    query.public_only = true;
    auto posts = storage::posts::list_by_author(conn, query);
    if (!posts) return posts.error();
    for (const auto& post : *posts) {
      auto details = note_details(conn, post.id);
      if (!details) return details.error();
      page.items.push_back(federation::as2::render_create_note(create_activity_id(post.ap_id),
                                                   note_view(post, actor, *details)));
    }
    page.items_are_json = true;
    return {};
  }
  auto actors =
      which == ActorCollection::followers
          ? storage::follows::followers_page(conn, actor.id, limit, static_cast<int>(offset))
          : storage::follows::following_page(conn, actor.id, limit, static_cast<int>(offset));
  if (!actors) return actors.error();
  for (const auto& a : *actors) page.items.push_back(a.uri);
  return {};
}

}  // namespace

Result<CollectionAnswer> actor_collection(storage::Database& db, std::string_view username,
                                          ActorCollection which,
                                          std::optional<std::uint64_t> page) {
  return db.read([&](Connection& conn) -> Result<CollectionAnswer> {
    auto found = storage::actors::find_local_by_username(conn, username);
    if (!found) return found.error();
    if (!*found) return ViewError::not_found;
    if ((*found)->deleted_at) return ViewError::gone;
    const auto& actor = **found;
    auto settings = storage::groups::find(conn, actor.id);
    if (!settings) return settings.error();
    const bool group = settings->has_value();
    if (!group && (which == ActorCollection::moderators || which == ActorCollection::featured)) {
      return ViewError::not_found;
    }
    auto total = count(conn, which, actor.id, group);
    if (!total) return total.error();
    const auto total_items = static_cast<std::uint64_t>(*total);
    CollectionAnswer out;
    if (!page) {
      out.collection = federation::as2::OrderedCollectionView{
          collection_id(actor, which), total_items, kCollectionPageSize, {}};
      return out;
    }
    federation::as2::CollectionPageView view;
    view.collection_id = collection_id(actor, which);
    view.page = *page;
    view.total_items = total_items;
    view.page_size = kCollectionPageSize;
    const auto offset = federation::as2::page_offset(*page, kCollectionPageSize);
    if (offset < total_items) {
      if (auto filled = fill_items(conn, actor, which, offset, view, group); !filled) {
        return filled.error();
      }
    }
    out.page = std::move(view);
    return out;
  });
}

Result<CollectionAnswer> group_context(storage::Database& db, std::string_view username,
                                       std::string_view key, std::optional<std::uint64_t> page) {
  return db.read([&](Connection& conn) -> Result<CollectionAnswer> {
    auto found = storage::actors::find_local_by_username(conn, username);
    if (!found) return found.error();
    if (!*found || (*found)->type != "Group") return ViewError::not_found;
    if ((*found)->deleted_at) return ViewError::gone;
    const std::string id = (*found)->uri + "/context/" + std::string(key);
    auto total = storage::posts::count_by_context(conn, id, true);
    if (!total) return total.error();
    if (*total == 0) return ViewError::not_found;
    const auto total_items = static_cast<std::uint64_t>(*total);
    CollectionAnswer out;
    if (!page) {
      out.collection = federation::as2::OrderedCollectionView{id, total_items, kCollectionPageSize,
                                                              (*found)->uri};
      return out;
    }
    federation::as2::CollectionPageView view;
    view.collection_id = id;
    view.page = *page;
    view.total_items = total_items;
    view.page_size = kCollectionPageSize;
    const auto offset = federation::as2::page_offset(*page, kCollectionPageSize);
    if (offset < total_items) {
      storage::posts::ListQuery query;
      query.key = id;
      query.limit = static_cast<int>(kCollectionPageSize);
      query.offset = static_cast<int>(offset);
      auto posts = storage::posts::list_by_context(conn, query);
      if (!posts) return posts.error();
      for (const auto& p : *posts) view.items.push_back(p.ap_id);
    }
    out.page = std::move(view);
    return out;
  });
}

}  // namespace civicpub::server::views
