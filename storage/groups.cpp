#include "storage/groups.hpp"

#include "storage/detail/actor_row.hpp"
#include "storage/detail/query.hpp"
#include "storage/statement.hpp"

namespace civicpub::storage::groups {
namespace {

constexpr const char* kInsert =
    "INSERT INTO groups (actor_id, members_only, posting_restricted_to_mods, sensitive, "
    "created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
constexpr const char* kFind =
    "SELECT actor_id, members_only, posting_restricted_to_mods, sensitive, created_at, "
    "updated_at FROM groups WHERE actor_id = ?1";
constexpr const char* kUpdate =
    "UPDATE groups SET members_only = ?2, posting_restricted_to_mods = ?3, sensitive = ?4, "
    "updated_at = ?5 WHERE actor_id = ?1";
constexpr const char* kList =
    "SELECT " CIVICPUB_ACTOR_COLUMNS("a.") " FROM groups g JOIN actors a ON a.id = g.actor_id "
    "WHERE a.local = 1 AND a.deleted_at IS NULL ORDER BY a.id";
constexpr const char* kAddModerator =
    "INSERT INTO group_moderators (group_id, actor_id, created_at) VALUES (?1, ?2, ?3) "
    "ON CONFLICT (group_id, actor_id) DO NOTHING";
constexpr const char* kRemoveModerator =
    "DELETE FROM group_moderators WHERE group_id = ?1 AND actor_id = ?2";
constexpr const char* kModerators =
    "SELECT " CIVICPUB_ACTOR_COLUMNS("a.") " FROM group_moderators m "
    "JOIN actors a ON a.id = m.actor_id WHERE m.group_id = ?1 AND a.deleted_at IS NULL "
    "AND a.suspended_at IS NULL ORDER BY m.created_at, a.id";
constexpr const char* kIsModerator =
    "SELECT EXISTS (SELECT 1 FROM group_moderators WHERE group_id = ?1 AND actor_id = ?2)";
constexpr const char* kAddPost =
    "INSERT INTO group_posts (group_id, post_uri, thread_root, activity_uri, announce_uri, "
    "announce_json, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING";
constexpr const char* kGroupOfThread =
    "SELECT group_id FROM group_posts WHERE thread_root = ?1 ORDER BY id LIMIT 1";
constexpr const char* kGroupOfPost =
    "SELECT group_id FROM group_posts WHERE post_uri = ?1 ORDER BY id LIMIT 1";
constexpr const char* kPostsPage =
    "SELECT id, group_id, post_uri, thread_root, activity_uri, announce_uri, announce_json, "
    "created_at FROM group_posts WHERE group_id = ?1 AND removed_at IS NULL "
    "ORDER BY id DESC LIMIT ?2 OFFSET ?3";
constexpr const char* kCountPosts =
    "SELECT COUNT(*) FROM group_posts WHERE group_id = ?1 AND removed_at IS NULL";
constexpr const char* kFindPost =
    "SELECT id, group_id, post_uri, thread_root, activity_uri, announce_uri, announce_json, "
    "created_at FROM group_posts WHERE group_id = ?1 AND post_uri = ?2";

GroupSettings read_settings(const Statement& s) {
  return GroupSettings{s.column_int64(0), s.column_bool(1),  s.column_bool(2),
                       s.column_bool(3),  s.column_int64(4), s.column_int64(5)};
}

GroupPost read_post(const Statement& s) {
  return GroupPost{s.column_int64(0), s.column_int64(1), s.column_text(2), s.column_text(3),
                   s.column_text(4),  s.column_text(5),  s.column_text(6), s.column_int64(7)};
}

Result<std::optional<std::int64_t>> fetch_id(Statement& s) {
  return detail::fetch_one(s, [](const Statement& st) { return st.column_int64(0); });
}

}  // namespace

Result<void> insert(Connection& conn, const GroupSettings& g) {
  auto s = Statement::prepare(conn, kInsert);
  if (!s) return s.error();
  s->bind(1, g.actor_id)
      .bind(2, g.members_only ? 1 : 0)
      .bind(3, g.posting_restricted_to_mods ? 1 : 0)
      .bind(4, g.sensitive ? 1 : 0)
      .bind(5, g.created_at)
      .bind(6, g.updated_at);
  return s->run();
}

Result<std::optional<GroupSettings>> find(Connection& conn, std::int64_t actor_id) {
  auto s = Statement::prepare(conn, kFind);
  if (!s) return detail::fail<std::optional<GroupSettings>>(s.error());
  s->bind(1, actor_id);
  return detail::fetch_one(*s, read_settings);
}

Result<void> update(Connection& conn, const GroupSettings& g) {
  auto s = Statement::prepare(conn, kUpdate);
  if (!s) return s.error();
  s->bind(1, g.actor_id)
      .bind(2, g.members_only ? 1 : 0)
      .bind(3, g.posting_restricted_to_mods ? 1 : 0)
      .bind(4, g.sensitive ? 1 : 0)
      .bind(5, g.updated_at);
  return detail::run_expect_change(conn, *s);
}

Result<std::vector<ActorRecord>> list(Connection& conn) {
  auto s = Statement::prepare(conn, kList);
  if (!s) return detail::fail<std::vector<ActorRecord>>(s.error());
  return detail::fetch_all(*s, detail::read_actor_row);
}

Result<void> add_moderator(Connection& conn, std::int64_t group_id, std::int64_t actor_id,
                           Millis now) {
  auto s = Statement::prepare(conn, kAddModerator);
  if (!s) return s.error();
  s->bind(1, group_id).bind(2, actor_id).bind(3, now);
  return s->run();
}

Result<bool> remove_moderator(Connection& conn, std::int64_t group_id, std::int64_t actor_id) {
  auto s = Statement::prepare(conn, kRemoveModerator);
  if (!s) return detail::fail<bool>(s.error());
  s->bind(1, group_id).bind(2, actor_id);
  if (auto r = s->run(); !r) return detail::fail<bool>(r.error());
  return conn.changes() > 0;
}

Result<std::vector<ActorRecord>> moderators(Connection& conn, std::int64_t group_id) {
  auto s = Statement::prepare(conn, kModerators);
  if (!s) return detail::fail<std::vector<ActorRecord>>(s.error());
  s->bind(1, group_id);
  return detail::fetch_all(*s, detail::read_actor_row);
}

Result<bool> is_moderator(Connection& conn, std::int64_t group_id, std::int64_t actor_id) {
  auto s = Statement::prepare(conn, kIsModerator);
  if (!s) return detail::fail<bool>(s.error());
  s->bind(1, group_id).bind(2, actor_id);
  auto n = detail::fetch_int(*s);
  if (!n) return detail::fail<bool>(n.error());
  return *n != 0;
}

Result<bool> add_post(Connection& conn, const GroupPost& p) {
  auto s = Statement::prepare(conn, kAddPost);
  if (!s) return detail::fail<bool>(s.error());
  s->bind(1, p.group_id)
      .bind(2, p.post_uri)
      .bind(3, p.thread_root)
      .bind(4, p.activity_uri)
      .bind(5, p.announce_uri)
      .bind(6, p.announce_json)
      .bind(7, p.created_at);
  if (auto r = s->run(); !r) return detail::fail<bool>(r.error());
  return conn.changes() > 0;
}

Result<std::optional<std::int64_t>> group_of_thread(Connection& conn,
                                                    std::string_view thread_root) {
  auto s = Statement::prepare(conn, kGroupOfThread);
  if (!s) return detail::fail<std::optional<std::int64_t>>(s.error());
  s->bind(1, thread_root);
  return fetch_id(*s);
}

Result<std::optional<std::int64_t>> group_of_post(Connection& conn, std::string_view post_uri) {
  auto s = Statement::prepare(conn, kGroupOfPost);
  if (!s) return detail::fail<std::optional<std::int64_t>>(s.error());
  s->bind(1, post_uri);
  return fetch_id(*s);
}

Result<std::vector<GroupPost>> posts_page(Connection& conn, std::int64_t group_id,
                                          std::int64_t limit, std::int64_t offset) {
  auto s = Statement::prepare(conn, kPostsPage);
  if (!s) return detail::fail<std::vector<GroupPost>>(s.error());
  s->bind(1, group_id).bind(2, limit).bind(3, offset);
  return detail::fetch_all(*s, read_post);
}

Result<std::optional<GroupPost>> find_post(Connection& conn, std::int64_t group_id,
                                           std::string_view post_uri) {
  auto s = Statement::prepare(conn, kFindPost);
  if (!s) return detail::fail<std::optional<GroupPost>>(s.error());
  s->bind(1, group_id).bind(2, post_uri);
  return detail::fetch_one(*s, read_post);
}

Result<std::int64_t> count_posts(Connection& conn, std::int64_t group_id) {
  auto s = Statement::prepare(conn, kCountPosts);
  if (!s) return detail::fail<std::int64_t>(s.error());
  s->bind(1, group_id);
  return detail::fetch_int(*s);
}

}  // namespace civicpub::storage::groups
