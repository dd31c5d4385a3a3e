#include "server/views/api_notifications.hpp"

#include "federation/as2/time_format.hpp"
#include "server/views/error.hpp"
#include "storage/actors.hpp"
#include "storage/notifications.hpp"
#include "storage/posts.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace civicpub::server::views {
namespace {

using federation::as2::JsonWriter;
using federation::as2::format_iso8601_ms;

// A notification with what it shows: the account that caused it and, if any, the post.
struct Loaded {
  storage::NotificationRecord record;
  storage::ActorRecord from;
  std::optional<storage::PostRecord> post;
};

// Nothing when the causing account is gone or the post is deleted or no longer visible.
Result<std::optional<Loaded>> load(storage::Connection& conn, storage::NotificationRecord n,
                                   const ApiView& view) {
  auto from = storage::actors::find_by_id(conn, n.from_account_id);
  if (!from) return from.error();
  if (!*from || (*from)->deleted_at) return std::optional<Loaded>();
  Loaded loaded{std::move(n), std::move(**from), std::nullopt};
  if (loaded.record.post_id) {
    auto post = storage::posts::find_by_id(conn, *loaded.record.post_id);
    if (!post) return post.error();
    if (!*post || (*post)->deleted_at) return std::optional<Loaded>();
    auto visible = status_visible(conn, **post, view.viewer_id);
    if (!visible) return visible.error();
    if (!*visible) return std::optional<Loaded>();
    loaded.post = std::move(**post);
  }
  return std::optional<Loaded>(std::move(loaded));
}

Result<std::vector<Loaded>> load_page(storage::Connection& conn, std::int64_t account_id,
                                      const NotificationFilter& filter,
                                      const storage::PageQuery& query, const ApiView& view,
                                      TimelinePage& page) {
  auto rows = storage::notifications::list(conn, account_id, filter.types, filter.exclude, query);
  if (!rows) return rows.error();
  if (!rows->empty()) {
    page.newest_id = rows->front().id;
    page.oldest_id = rows->back().id;
  }
  std::vector<Loaded> out;
  for (auto& row : *rows) {
    auto loaded = load(conn, std::move(row), view);
    if (!loaded) return loaded.error();
    if (*loaded) out.push_back(std::move(**loaded));
  }
  return out;
}

std::string ungrouped_key(const storage::NotificationRecord& n) {
  return "ungrouped-" + std::to_string(n.id);
}

Result<void> write_notification(JsonWriter& out, storage::Connection& conn, const Loaded& n,
                                const ApiView& view) {
  out.start_object();
  out.field("id", std::to_string(n.record.id));
  out.field("type", n.record.type);
  out.field("group_key", ungrouped_key(n.record));
  out.field("created_at", format_iso8601_ms(n.record.created_at));
  out.key("account");
  if (auto r = write_account(out, conn, n.from, view); !r) return r;
  if (n.post) {
    out.key("status");
    if (auto r = write_status(out, conn, *n.post, view); !r) return r;
  }
  out.end_object();
  return {};
}

std::string group_key(const Loaded& n, const std::vector<std::string>& grouped_types) {
  const auto& type = n.record.type;
  if (std::find(grouped_types.begin(), grouped_types.end(), type) == grouped_types.end()) {
    return ungrouped_key(n.record);
  }
  return n.post ? type + "-" + std::to_string(n.post->id) : type;
}

struct Group {
  std::string key;
  std::vector<const Loaded*> members;  // newest first
};

}  // namespace

Result<TimelinePage> notifications_page(storage::Database& db, std::int64_t account_id,
                                        const NotificationFilter& filter,
                                        const storage::PageQuery& query, const ApiView& view) {
  return db.read([&](storage::Connection& conn) -> Result<TimelinePage> {
    TimelinePage page;
    auto loaded = load_page(conn, account_id, filter, query, view, page);
    if (!loaded) return loaded.error();
    JsonWriter out;
    out.start_array();
    for (const auto& n : *loaded) {
      if (auto r = write_notification(out, conn, n, view); !r) return r.error();
    }
    out.end_array();
    page.json = out.str();
    return page;
  });
}

Result<std::string> notification_json(storage::Database& db, std::int64_t account_id,
                                      std::string_view id, const ApiView& view) {
  const auto row = parse_id(id);
  if (!row) return make_error_code(ViewError::not_found);
  return db.read([&](storage::Connection& conn) -> Result<std::string> {
    auto found = storage::notifications::find(conn, account_id, *row);
    if (!found) return found.error();
    if (!*found) return make_error_code(ViewError::not_found);
    auto loaded = load(conn, std::move(**found), view);
    if (!loaded) return loaded.error();
    if (!*loaded) return make_error_code(ViewError::not_found);
    JsonWriter out;
    if (auto r = write_notification(out, conn, **loaded, view); !r) return r.error();
    return out.str();
  });
}

Result<TimelinePage> grouped_notifications_page(storage::Database& db, std::int64_t account_id,
                                                const NotificationFilter& filter,
                                                const std::vector<std::string>& grouped_types,
                                                const storage::PageQuery& query,
                                                const ApiView& view) {
  return db.read([&](storage::Connection& conn) -> Result<TimelinePage> {
    TimelinePage page;
    auto loaded = load_page(conn, account_id, filter, query, view, page);
    if (!loaded) return loaded.error();
    std::vector<Group> groups;
    std::map<std::string, std::size_t> index;
    std::map<std::int64_t, const storage::ActorRecord*> accounts;
    std::map<std::int64_t, const storage::PostRecord*> statuses;
    for (const auto& n : *loaded) {
      auto key = group_key(n, grouped_types);
      auto [at, fresh] = index.emplace(key, groups.size());
      if (fresh) groups.push_back(Group{std::move(key), {}});
      groups[at->second].members.push_back(&n);
      accounts.emplace(n.from.id, &n.from);
      if (n.post) statuses.emplace(n.post->id, &*n.post);
    }
    JsonWriter out;
    out.start_object();
    out.key("accounts");
    out.start_array();
    for (const auto& [id, actor] : accounts) {
      if (auto r = write_account(out, conn, *actor, view); !r) return r.error();
    }
    out.end_array();
    out.key("statuses");
    out.start_array();
    for (const auto& [id, post] : statuses) {
      if (auto r = write_status(out, conn, *post, view); !r) return r.error();
    }
    out.end_array();
    out.key("notification_groups");
    out.start_array();
    for (const auto& g : groups) {
      const auto& newest = g.members.front()->record;
      out.start_object();
      out.field("group_key", g.key);
      out.field("notifications_count", static_cast<std::int64_t>(g.members.size()));
      out.field("type", newest.type);
      out.field("most_recent_notification_id", std::to_string(newest.id));
      out.field("page_min_id", std::to_string(g.members.back()->record.id));
      out.field("page_max_id", std::to_string(newest.id));
      out.field("latest_page_notification_at", format_iso8601_ms(newest.created_at));
      out.key("sample_account_ids");
      out.start_array();
      std::set<std::int64_t> seen;
      for (const auto* m : g.members) {
        if (seen.size() < 8 && seen.insert(m->from.id).second) out.string(std::to_string(m->from.id));
      }
      out.end_array();
      out.key("status_id");
      if (g.members.front()->post) {
        out.string(std::to_string(g.members.front()->post->id));
      } else {
        out.null();
      }
      out.end_object();
    }
    out.end_array();
    out.end_object();
    page.json = out.str();
    return page;
  });
}

}  // namespace civicpub::server::views
