#include "storage/moderation.hpp"

#include "storage/detail/query.hpp"
#include "storage/errors.hpp"
#include "storage/statement.hpp"

namespace civicpub::storage::moderation {
namespace {

constexpr const char* kPutBlock = R"sql(
INSERT INTO domain_blocks (pattern, reason, reject_media, created_at) VALUES (?1, ?2, ?3, ?4)
ON CONFLICT (pattern) DO UPDATE SET reason = excluded.reason, reject_media = excluded.reject_media
RETURNING created_at = ?4
)sql";
constexpr const char* kRemoveBlock = "DELETE FROM domain_blocks WHERE pattern = ?1";
constexpr const char* kBlocks =
    "SELECT pattern, reason, reject_media, created_at FROM domain_blocks ORDER BY pattern";
constexpr const char* kGeneration = "SELECT generation FROM moderation_generation WHERE id = 1";
// `+uri`: ordered by uri, the planner walks the uri index and looks up every actor's row (the
// whole table) instead of the partial index actors_suspended and a sort of its few rows.
constexpr const char* kSuspended =
    "SELECT uri FROM actors WHERE suspended_at IS NOT NULL ORDER BY +uri";
constexpr const char* kKnownDomains =
    "SELECT domain, MIN(uri) FROM actors WHERE local = 0 AND domain <> '' GROUP BY domain";
constexpr const char* kHideDomainPosts = R"sql(
UPDATE posts SET deleted_at = ?2, moderated = 1
WHERE deleted_at IS NULL AND local = 0
  AND author_id IN (SELECT id FROM actors WHERE domain = ?1 AND local = 0)
)sql";
constexpr const char* kRestoreDomainPosts = R"sql(
UPDATE posts SET deleted_at = NULL, moderated = 0
WHERE moderated = 1
  AND author_id IN (SELECT id FROM actors WHERE domain = ?1 AND suspended_at IS NULL)
)sql";
constexpr const char* kSeverFollows = R"sql(
DELETE FROM follows
WHERE follower_id IN (SELECT id FROM actors WHERE domain = ?1 AND local = 0)
   OR target_id IN (SELECT id FROM actors WHERE domain = ?1 AND local = 0)
)sql";
constexpr const char* kPostModerated =
    "SELECT EXISTS (SELECT 1 FROM posts WHERE ap_id = ?1 AND moderated = 1 "
    "AND deleted_at IS NOT NULL)";
constexpr const char* kPendingDeliveries =
    "SELECT id, inbox_url FROM deliveries WHERE state = 'pending' ORDER BY id";
constexpr const char* kSuspend =
    "UPDATE actors SET suspended_at = ?2, suspension_reason = ?3 WHERE id = ?1 AND local = 0";
constexpr const char* kUnsuspend =
    "UPDATE actors SET suspended_at = NULL, suspension_reason = '' WHERE id = ?1";
constexpr const char* kHideActorPosts =
    "UPDATE posts SET deleted_at = ?2, moderated = 1 WHERE author_id = ?1 AND deleted_at IS NULL";
constexpr const char* kRestoreActorPosts =
    "UPDATE posts SET deleted_at = NULL, moderated = 0 WHERE author_id = ?1 AND moderated = 1";

Result<std::int64_t> run_counting(Connection& conn, const char* sql, std::string_view text,
                                  std::optional<Millis> now = std::nullopt) {
  auto s = Statement::prepare(conn, sql);
  if (!s) return s.error();
  s->bind(1, text);
  if (now) s->bind(2, *now);
  if (auto r = s->run(); !r) return r.error();
  return static_cast<std::int64_t>(conn.changes());
}

Result<void> run_for_actor(Connection& conn, const char* sql, std::int64_t actor_id,
                           std::optional<Millis> now = std::nullopt) {
  auto s = Statement::prepare(conn, sql);
  if (!s) return s.error();
  s->bind(1, actor_id);
  if (now) s->bind(2, *now);
  return s->run();
}

}  // namespace

Result<bool> put_domain_block(Connection& conn, const DomainBlockRecord& block) {
  auto s = Statement::prepare(conn, kPutBlock);
  if (!s) return detail::fail<bool>(s.error());
  s->bind(1, block.pattern).bind(2, block.reason).bind(3, block.reject_media);
  s->bind(4, block.created_at);
  auto row = detail::fetch_one(*s, [](const Statement& st) { return st.column_bool(0); });
  if (!row) return detail::fail<bool>(row.error());
  if (auto rest = s->run(); !rest) return detail::fail<bool>(rest.error());
  return row->value_or(false);
}

Result<bool> remove_domain_block(Connection& conn, std::string_view pattern) {
  auto removed = run_counting(conn, kRemoveBlock, pattern);
  if (!removed) return detail::fail<bool>(removed.error());
  return *removed > 0;
}

Result<std::vector<DomainBlockRecord>> domain_blocks(Connection& conn) {
  auto s = Statement::prepare(conn, kBlocks);
  if (!s) return s.error();
  return detail::fetch_all(*s, [](const Statement& st) {
    return DomainBlockRecord{st.column_text(0), st.column_text(1), st.column_bool(2),
                             st.column_int64(3)};
  });
}

Result<std::int64_t> generation(Connection& conn) {
  auto s = Statement::prepare(conn, kGeneration);
  if (!s) return s.error();
  return detail::fetch_int(*s);
}

Result<bool> post_hidden(Connection& conn, std::string_view ap_id) {
  auto s = Statement::prepare(conn, kPostModerated);
  if (!s) return {boost::system::in_place_error, s.error()};
  s->bind(1, ap_id);
  auto count = detail::fetch_int(*s);
  if (!count) return {boost::system::in_place_error, count.error()};
  return *count != 0;
}

Result<std::vector<std::string>> suspended_actor_uris(Connection& conn) {
  auto s = Statement::prepare(conn, kSuspended);
  if (!s) return s.error();
  return detail::fetch_all(*s, [](const Statement& st) { return st.column_text(0); });
}

Result<std::vector<KnownDomain>> known_domains(Connection& conn) {
  auto s = Statement::prepare(conn, kKnownDomains);
  if (!s) return s.error();
  return detail::fetch_all(*s, [](const Statement& st) {
    return KnownDomain{st.column_text(0), st.column_text(1)};
  });
}

Result<std::int64_t> hide_domain_posts(Connection& conn, std::string_view domain, Millis now) {
  return run_counting(conn, kHideDomainPosts, domain, now);
}

Result<std::int64_t> restore_domain_posts(Connection& conn, std::string_view domain) {
  return run_counting(conn, kRestoreDomainPosts, domain);
}

Result<std::int64_t> sever_domain_follows(Connection& conn, std::string_view domain) {
  return run_counting(conn, kSeverFollows, domain);
}

Result<std::vector<PendingDelivery>> pending_deliveries(Connection& conn) {
  auto s = Statement::prepare(conn, kPendingDeliveries);
  if (!s) return s.error();
  return detail::fetch_all(*s, [](const Statement& st) {
    return PendingDelivery{st.column_int64(0), st.column_text(1)};
  });
}

Result<void> suspend_actor(Connection& conn, std::int64_t actor_id, std::string_view reason,
                           Millis now) {
  auto s = Statement::prepare(conn, kSuspend);
  if (!s) return s.error();
  s->bind(1, actor_id).bind(2, now).bind(3, reason);
  if (auto r = detail::run_expect_change(conn, *s); !r) return r;
  return run_for_actor(conn, kHideActorPosts, actor_id, now);
}

Result<void> unsuspend_actor(Connection& conn, std::int64_t actor_id, bool restore_posts) {
  auto s = Statement::prepare(conn, kUnsuspend);
  if (!s) return s.error();
  s->bind(1, actor_id);
  if (auto r = detail::run_expect_change(conn, *s); !r) return r;
  if (!restore_posts) return {};
  return run_for_actor(conn, kRestoreActorPosts, actor_id);
}

}  // namespace civicpub::storage::moderation
