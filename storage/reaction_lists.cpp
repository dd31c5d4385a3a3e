#include "storage/reaction_lists.hpp"

#include "storage/detail/actor_row.hpp"
#include "storage/detail/keyset.hpp"
#include "storage/detail/post_row.hpp"
#include "storage/detail/query.hpp"
#include "storage/errors.hpp"

namespace civicpub::storage {
namespace {

constexpr const char* kFindReaction =
    "SELECT id, activity_uri, kind, actor_id, post_id, created_at FROM reactions "
    "WHERE kind = ?1 AND actor_id = ?2 AND post_id = ?3";
constexpr const char* kLocalActors =
    "SELECT r.actor_id FROM reactions r JOIN actors a ON a.id = r.actor_id "
    "WHERE r.post_id = ?1 AND r.kind = ?2 AND a.local = 1 ORDER BY r.id";
constexpr const char* kReactingActors =
    "SELECT " CIVICPUB_ACTOR_COLUMNS("a.") ", r.id FROM reactions r "
    "JOIN actors a ON a.id = r.actor_id "
    "WHERE r.post_id = ?1 AND r.kind = ?2 AND a.deleted_at IS NULL" CIVICPUB_KEYSET_TAIL("r.id");
// The post columns come from a derived table so that `id` is the post's and the listing row's
// id is `position`.
constexpr const char* kLikedPosts =
    "SELECT " CIVICPUB_POST_COLUMNS ", position FROM (SELECT posts.*, r.id AS position "
    "FROM reactions r JOIN posts ON posts.id = r.post_id WHERE r.actor_id = ?1 "
    "AND r.kind = 'like' AND posts.deleted_at IS NULL) WHERE ?2 = ?2" CIVICPUB_KEYSET_TAIL("position");
constexpr const char* kBookmarked =
    "SELECT " CIVICPUB_POST_COLUMNS ", position FROM (SELECT posts.*, b.id AS position "
    "FROM bookmarks b JOIN posts ON posts.id = b.post_id WHERE b.account_id = ?1 "
    "AND posts.deleted_at IS NULL) WHERE ?2 = ?2" CIVICPUB_KEYSET_TAIL("position");
constexpr const char* kAddBookmark =
    "INSERT INTO bookmarks (account_id, post_id, created_at) VALUES (?1, ?2, ?3) "
    "ON CONFLICT DO NOTHING";
constexpr const char* kRemoveBookmark = "DELETE FROM bookmarks WHERE account_id = ?1 AND post_id = ?2";
constexpr const char* kBookmarkExists =
    "SELECT COUNT(*) FROM bookmarks WHERE account_id = ?1 AND post_id = ?2";
constexpr int kPostPosition = 19;   // after the post's columns
constexpr int kActorPosition = 23;  // after the actor's columns

std::optional<ReactionRecord> read_reaction(const Statement& s) {
  auto kind = s.column_text(2) == "like" ? std::optional(ReactionKind::like)
              : s.column_text(2) == "announce" ? std::optional(ReactionKind::announce)
                                               : std::nullopt;
  if (!kind) return std::nullopt;
  return ReactionRecord{s.column_int64(0), s.column_text(1), *kind,
                        s.column_int64(3), s.column_int64(4), s.column_int64(5)};
}

std::optional<ListedPost> read_listed_post(const Statement& s) {
  auto post = detail::read_post_row(s);
  if (!post) return std::nullopt;
  return ListedPost{s.column_int64(kPostPosition), std::move(*post)};
}

Result<std::vector<ListedPost>> posts_page(Connection& conn, const char* sql, std::int64_t id,
                                           const PageQuery& query) {
  auto s = Statement::prepare(conn, sql);
  if (!s) return s.error();
  s->bind(1, id).bind(2, 0);
  detail::bind_keyset(*s, query);
  auto rows = detail::fetch_all(*s, read_listed_post);
  if (!rows) return rows.error();
  std::vector<ListedPost> out;
  for (auto& row : *rows) {
    if (!row) return make_error_code(Errc::corrupt);
    out.push_back(std::move(*row));
  }
  detail::finish_keyset(out, query);
  return out;
}

Result<bool> changed(Statement& s, Connection& conn) {
  if (auto run = s.run(); !run) return detail::fail<bool>(run.error());
  return conn.changes() > 0;
}

}  // namespace

namespace reactions {

Result<std::optional<ReactionRecord>> find(Connection& conn, ReactionKind kind,
                                           std::int64_t actor_id, std::int64_t post_id) {
  auto s = Statement::prepare(conn, kFindReaction);
  if (!s) return s.error();
  s->bind(1, to_string(kind)).bind(2, actor_id).bind(3, post_id);
  auto row = detail::fetch_one(*s, read_reaction);
  if (!row) return row.error();
  if (!*row) return std::optional<ReactionRecord>();
  if (!**row) return make_error_code(Errc::corrupt);
  return std::move(**row);
}

Result<std::vector<std::int64_t>> local_actors(Connection& conn, std::int64_t post_id,
                                               ReactionKind kind) {
  auto s = Statement::prepare(conn, kLocalActors);
  if (!s) return s.error();
  s->bind(1, post_id).bind(2, to_string(kind));
  return detail::fetch_all(*s, [](const Statement& st) { return st.column_int64(0); });
}

Result<std::vector<follows::ListedActor>> reacting_actors(Connection& conn, std::int64_t post_id,
                                                          ReactionKind kind,
                                                          const PageQuery& query) {
  auto s = Statement::prepare(conn, kReactingActors);
  if (!s) return s.error();
  s->bind(1, post_id).bind(2, to_string(kind));
  detail::bind_keyset(*s, query);
  auto rows = detail::fetch_all(*s, [](const Statement& st) {
    return follows::ListedActor{st.column_int64(kActorPosition), detail::read_actor_row(st)};
  });
  if (!rows) return rows.error();
  detail::finish_keyset(*rows, query);
  return rows;
}

Result<std::vector<ListedPost>> liked_posts(Connection& conn, std::int64_t actor_id,
                                            const PageQuery& query) {
  return posts_page(conn, kLikedPosts, actor_id, query);
}

}  // namespace reactions

namespace bookmarks {

Result<bool> add(Connection& conn, std::int64_t account_id, std::int64_t post_id, Millis now) {
  auto s = Statement::prepare(conn, kAddBookmark);
  if (!s) return detail::fail<bool>(s.error());
  s->bind(1, account_id).bind(2, post_id).bind(3, now);
  return changed(*s, conn);
}

Result<bool> remove(Connection& conn, std::int64_t account_id, std::int64_t post_id) {
  auto s = Statement::prepare(conn, kRemoveBookmark);
  if (!s) return detail::fail<bool>(s.error());
  s->bind(1, account_id).bind(2, post_id);
  return changed(*s, conn);
}

Result<bool> exists(Connection& conn, std::int64_t account_id, std::int64_t post_id) {
  auto s = Statement::prepare(conn, kBookmarkExists);
  if (!s) return detail::fail<bool>(s.error());
  s->bind(1, account_id).bind(2, post_id);
  auto n = detail::fetch_int(*s);
  if (!n) return detail::fail<bool>(n.error());
  return *n > 0;
}

Result<std::vector<ListedPost>> page(Connection& conn, std::int64_t account_id,
                                     const PageQuery& query) {
  return posts_page(conn, kBookmarked, account_id, query);
}

}  // namespace bookmarks
}  // namespace civicpub::storage
