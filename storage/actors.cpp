#include "storage/actors.hpp"

#include "storage/detail/actor_row.hpp"
#include "storage/detail/json_array.hpp"
#include "storage/detail/query.hpp"
#include "storage/errors.hpp"
#include "storage/statement.hpp"

namespace civicpub::storage::actors {
namespace {

constexpr const char* kInsert = R"sql(
INSERT INTO actors (uri, local, type, username, domain, display_name, summary_html, inbox,
  shared_inbox, outbox, followers, following, url, key_id, public_key_pem,
  manually_approves_followers, discoverable, raw_json, created_at, updated_at, fetched_at,
  deleted_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19,
  ?20, ?21, ?22)
)sql";

// The WHERE on the update keeps a remote document from overwriting a local actor: no row comes
// back and the caller gets a conflict.
constexpr const char* kUpsertRemote = R"sql(
INSERT INTO actors (uri, local, type, username, domain, display_name, summary_html, inbox,
  shared_inbox, outbox, followers, following, url, key_id, public_key_pem,
  manually_approves_followers, discoverable, raw_json, created_at, updated_at, fetched_at,
  deleted_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19,
  ?20, ?21, ?22)
ON CONFLICT (uri) DO UPDATE SET type = excluded.type, username = excluded.username,
  domain = excluded.domain, display_name = excluded.display_name,
  summary_html = excluded.summary_html, inbox = excluded.inbox,
  shared_inbox = excluded.shared_inbox, outbox = excluded.outbox,
  followers = excluded.followers, following = excluded.following, url = excluded.url,
  key_id = excluded.key_id, public_key_pem = excluded.public_key_pem,
  manually_approves_followers = excluded.manually_approves_followers,
  discoverable = excluded.discoverable, raw_json = excluded.raw_json,
  updated_at = excluded.updated_at, fetched_at = excluded.fetched_at
WHERE actors.local = 0
RETURNING id
)sql";

constexpr const char* kFindLocalByUsername =
    "SELECT " CIVICPUB_ACTOR_COLUMNS("") " FROM actors "
    "WHERE local = 1 AND username = ?1 COLLATE NOCASE";
constexpr const char* kFindByUri =
    "SELECT " CIVICPUB_ACTOR_COLUMNS("") " FROM actors WHERE uri = ?1";
constexpr const char* kFindById =
    "SELECT " CIVICPUB_ACTOR_COLUMNS("") " FROM actors WHERE id = ?1";
// ?1: a JSON array of ids (detail/json_array.hpp); each is a primary-key search.
constexpr const char* kFindByIds =
    "SELECT " CIVICPUB_ACTOR_COLUMNS("") " FROM actors "
    "WHERE id IN (SELECT value FROM json_each(?1))";
constexpr const char* kFindByKeyId =
    "SELECT " CIVICPUB_ACTOR_COLUMNS("") " FROM actors WHERE key_id = ?1 AND key_id <> '' "
    "ORDER BY id LIMIT 1";
// `+id`: ordered by the rowid, the planner scans the whole table (every remote actor) rather
// than the few rows of the partial index actors_local_username and a sort; at start-up
// (ensure_assertion_keys) that scan filled the writer's page cache (docs/performance.md).
constexpr const char* kListLocal =
    "SELECT " CIVICPUB_ACTOR_COLUMNS("") " FROM actors "
    "WHERE local = 1 AND deleted_at IS NULL ORDER BY +id";
constexpr const char* kCountLocal =
    "SELECT COUNT(*) FROM actors WHERE local = 1 AND deleted_at IS NULL";
constexpr const char* kUpdateLocalProfile = R"sql(
UPDATE actors SET display_name = ?2, summary_html = ?3, url = ?4,
  manually_approves_followers = ?5, discoverable = ?6, updated_at = ?7
WHERE id = ?1 AND local = 1
)sql";
constexpr const char* kMarkDeleted = "UPDATE actors SET deleted_at = ?2 WHERE id = ?1";

void bind_all(Statement& s, const ActorRecord& a, bool local) {
  s.bind(1, a.uri).bind(2, local).bind(3, a.type).bind(4, a.username).bind(5, a.domain);
  s.bind(6, a.display_name).bind(7, a.summary_html).bind(8, a.inbox).bind(9, a.shared_inbox);
  s.bind(10, a.outbox).bind(11, a.followers).bind(12, a.following).bind(13, a.url);
  s.bind(14, a.key_id).bind(15, a.public_key_pem).bind(16, a.manually_approves_followers);
  s.bind(17, a.discoverable).bind(18, a.raw_json).bind(19, a.created_at).bind(20, a.updated_at);
  s.bind(21, a.fetched_at).bind(22, a.deleted_at);
}

template <class Key>
Result<std::optional<ActorRecord>> find_one(Connection& conn, const char* sql, const Key& key) {
  auto s = Statement::prepare(conn, sql);
  if (!s) return s.error();
  s->bind(1, key);
  return detail::fetch_one(*s, detail::read_actor_row);
}

}  // namespace

Result<std::int64_t> insert_local(Connection& conn, const ActorRecord& actor) {
  auto s = Statement::prepare(conn, kInsert);
  if (!s) return s.error();
  bind_all(*s, actor, true);
  if (auto r = s->run(); !r) return r.error();
  return conn.last_insert_rowid();
}

Result<std::optional<ActorRecord>> find_local_by_username(Connection& conn,
                                                          std::string_view username) {
  return find_one(conn, kFindLocalByUsername, username);
}

Result<std::optional<ActorRecord>> find_by_uri(Connection& conn, std::string_view uri) {
  return find_one(conn, kFindByUri, uri);
}

Result<std::optional<ActorRecord>> find_by_id(Connection& conn, std::int64_t id) {
  return find_one(conn, kFindById, id);
}

Result<std::unordered_map<std::int64_t, ActorRecord>> find_by_ids(
    Connection& conn, std::span<const std::int64_t> ids) {
  std::unordered_map<std::int64_t, ActorRecord> out;
  if (ids.empty()) return out;
  auto s = Statement::prepare(conn, kFindByIds);
  if (!s) return s.error();
  s->bind(1, detail::json_array(ids));
  for (;;) {
    auto row = s->step();
    if (!row) return row.error();
    if (!*row) return out;
    auto actor = detail::read_actor_row(*s);
    const std::int64_t id = actor.id;
    out.emplace(id, std::move(actor));
  }
}

Result<std::optional<ActorRecord>> find_by_key_id(Connection& conn, std::string_view key_id) {
  return find_one(conn, kFindByKeyId, key_id);
}

Result<std::vector<ActorRecord>> list_local(Connection& conn) {
  auto s = Statement::prepare(conn, kListLocal);
  if (!s) return s.error();
  return detail::fetch_all(*s, detail::read_actor_row);
}

Result<std::int64_t> count_local(Connection& conn) {
  auto s = Statement::prepare(conn, kCountLocal);
  if (!s) return s.error();
  return detail::fetch_int(*s);
}

Result<std::int64_t> upsert_remote(Connection& conn, const ActorRecord& actor) {
  auto s = Statement::prepare(conn, kUpsertRemote);
  if (!s) return s.error();
  bind_all(*s, actor, false);
  auto row = s->step();
  if (!row) return row.error();
  if (!*row) return make_error_code(Errc::conflict);  // the uri belongs to a local actor
  const std::int64_t id = s->column_int64(0);
  if (auto rest = s->run(); !rest) return rest.error();
  return id;
}

Result<void> update_local_profile(Connection& conn, const ActorRecord& actor) {
  auto s = Statement::prepare(conn, kUpdateLocalProfile);
  if (!s) return s.error();
  s->bind(1, actor.id).bind(2, actor.display_name).bind(3, actor.summary_html).bind(4, actor.url);
  s->bind(5, actor.manually_approves_followers).bind(6, actor.discoverable);
  s->bind(7, actor.updated_at);
  return detail::run_expect_change(conn, *s);
}

Result<void> mark_deleted(Connection& conn, std::int64_t id, Millis at) {
  auto s = Statement::prepare(conn, kMarkDeleted);
  if (!s) return s.error();
  s->bind(1, id).bind(2, at);
  return detail::run_expect_change(conn, *s);
}

}  // namespace civicpub::storage::actors
