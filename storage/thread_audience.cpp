#include "storage/thread_audience.hpp"

#include "storage/detail/query.hpp"
#include "storage/statement.hpp"

namespace civicpub::storage::thread_audience {
namespace {

// Each lookup is its own indexed SELECT: an OR across ap_id and context made SQLite scan every
// post (one scan per inbound reply), and a partial index (`WHERE context <> ''`) is only used when
// the query repeats its condition. The root itself comes first when both keys match different
// posts: `thread_root` is what the post store linked, the context only what the author claimed.
constexpr const char* kFindLocalThread = R"sql(
SELECT ap_id, context, author_id FROM (
  SELECT ap_id, context, author_id, 0 AS by_context, id FROM posts
  WHERE ?1 <> '' AND ap_id = ?1 AND local = 1 AND in_reply_to = ''
  UNION ALL
  SELECT ap_id, context, author_id, 1 AS by_context, id FROM posts
  WHERE ?2 <> '' AND context = ?2 AND context <> '' AND local = 1 AND in_reply_to = ''
)
ORDER BY by_context, id LIMIT 1
)sql";

constexpr const char* kParticipantInboxes = R"sql(
SELECT box FROM (
  SELECT CASE WHEN a.shared_inbox <> '' THEN a.shared_inbox ELSE a.inbox END AS box
  FROM posts p JOIN actors a ON a.id = p.author_id
  WHERE ?1 <> '' AND p.thread_root = ?1 AND p.thread_root <> ''
    AND a.local = 0 AND a.deleted_at IS NULL AND (a.shared_inbox <> '' OR a.inbox <> '')
  UNION
  SELECT CASE WHEN a.shared_inbox <> '' THEN a.shared_inbox ELSE a.inbox END AS box
  FROM posts p JOIN actors a ON a.id = p.author_id
  WHERE ?2 <> '' AND p.context = ?2 AND p.context <> ''
    AND a.local = 0 AND a.deleted_at IS NULL AND (a.shared_inbox <> '' OR a.inbox <> '')
)
ORDER BY box
)sql";

}  // namespace

Result<std::optional<LocalThread>> find_local_thread(Connection& conn, std::string_view root,
                                                     std::string_view context) {
  auto s = Statement::prepare(conn, kFindLocalThread);
  if (!s) return s.error();
  s->bind(1, root);
  s->bind(2, context);
  return detail::fetch_one(*s, [](const Statement& st) {
    return LocalThread{st.column_text(0), st.column_text(1), st.column_int64(2)};
  });
}

Result<std::vector<std::string>> participant_inboxes(Connection& conn, std::string_view root,
                                                     std::string_view context) {
  auto s = Statement::prepare(conn, kParticipantInboxes);
  if (!s) return s.error();
  s->bind(1, root);
  s->bind(2, context);
  return detail::fetch_all(*s, [](const Statement& st) { return st.column_text(0); });
}

}  // namespace civicpub::storage::thread_audience
