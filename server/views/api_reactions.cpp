#include "server/views/api_reactions.hpp"

#include "server/views/error.hpp"
#include "storage/posts.hpp"
#include "storage/reaction_lists.hpp"

namespace civicpub::server::views {

using federation::as2::JsonWriter;

Result<TimelinePage> reacting_accounts(storage::Database& db, std::string_view status_id,
                                       storage::ReactionKind kind,
                                       const storage::PageQuery& query, const ApiView& view) {
  auto post = find_status(db, status_id, view);
  if (!post) return post.error();
  return db.read([&](storage::Connection& conn) -> Result<TimelinePage> {
    auto rows = storage::reactions::reacting_actors(conn, post->id, kind, query);
    if (!rows) return rows.error();
    JsonWriter out;
    out.start_array();
    for (const auto& row : *rows) {
      if (auto r = write_account(out, conn, row.actor, view); !r) return r.error();
    }
    out.end_array();
    TimelinePage page;
    page.json = out.str();
    if (!rows->empty()) {
      page.newest_id = rows->front().position;
      page.oldest_id = rows->back().position;
    }
    return page;
  });
}

Result<TimelinePage> saved_statuses(storage::Database& db, std::int64_t account_id,
                                    SavedList which, const storage::PageQuery& query,
                                    const ApiView& view) {
  return db.read([&](storage::Connection& conn) -> Result<TimelinePage> {
    auto rows = which == SavedList::favourites
                    ? storage::reactions::liked_posts(conn, account_id, query)
                    : storage::bookmarks::page(conn, account_id, query);
    if (!rows) return rows.error();
    JsonWriter out;
    out.start_array();
    for (const auto& row : *rows) {
      auto visible = status_visible(conn, row.post, view.viewer_id);
      if (!visible) return visible.error();
      if (!*visible) continue;
      if (auto r = write_status(out, conn, row.post, view); !r) return r.error();
    }
    out.end_array();
    TimelinePage page;
    page.json = out.str();
    if (!rows->empty()) {
      page.newest_id = rows->front().position;
      page.oldest_id = rows->back().position;
    }
    return page;
  });
}

}  // namespace civicpub::server::views
