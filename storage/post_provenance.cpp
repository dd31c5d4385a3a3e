#include "storage/post_provenance.hpp"

#include "storage/detail/query.hpp"
#include "storage/statement.hpp"

namespace civicpub::storage::post_provenance {
namespace {

constexpr const char* kRecord =
    "INSERT INTO post_provenance (post_id, verified_by, activity_id, received_at) "
    "VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING";
constexpr const char* kPublicReplies = R"sql(
SELECT r.ap_id, a.uri, a.username, a.domain, r.local, r.published,
  CASE WHEN r.local = 1 THEN 'local' ELSE COALESCE(p.verified_by, 'unknown') END,
  COALESCE(p.activity_id, '')
FROM posts r
  JOIN actors a ON a.id = r.author_id
  LEFT JOIN post_provenance p ON p.post_id = r.id
WHERE r.thread_root = ?1 AND r.thread_root <> '' AND r.ap_id <> ?1 AND r.deleted_at IS NULL AND r.visibility = 'public'
ORDER BY r.published, r.id
LIMIT ?2
)sql";

}  // namespace

Result<void> record(Connection& conn, std::int64_t post_id, std::string_view verified_by,
                    std::string_view activity_id, Millis received_at) {
  auto s = Statement::prepare(conn, kRecord);
  if (!s) return s.error();
  s->bind(1, post_id).bind(2, verified_by).bind(3, activity_id);
  s->bind(4, received_at);
  return s->run();
}

Result<std::vector<PublicReply>> public_replies(Connection& conn, const std::string& root_ap_id,
                                                int limit) {
  auto s = Statement::prepare(conn, kPublicReplies);
  if (!s) return s.error();
  s->bind(1, root_ap_id).bind(2, static_cast<std::int64_t>(limit));
  return detail::fetch_all(*s, [](const Statement& st) {
    PublicReply r;
    r.ap_id = st.column_text(0);
    r.author_uri = st.column_text(1);
    r.author_username = st.column_text(2);
    r.author_domain = st.column_text(3);
    r.local = st.column_bool(4);
    r.published = st.column_int64(5);
    r.verified_by = st.column_text(6);
    r.activity_id = st.column_text(7);
    return r;
  });
}

}  // namespace civicpub::storage::post_provenance
