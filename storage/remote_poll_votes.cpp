#include "storage/remote_poll_votes.hpp"

#include "storage/detail/query.hpp"
#include "storage/statement.hpp"

namespace civicpub::storage::remote_poll_votes {
namespace {

constexpr const char* kAdd =
    "INSERT INTO remote_poll_votes (post_id, voter_id, position, activity_uri, voted_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING";
constexpr const char* kChoicesOf =
    "SELECT position FROM remote_poll_votes WHERE post_id = ?1 AND voter_id = ?2 "
    "ORDER BY position";

}  // namespace

Result<bool> add(Connection& conn, std::int64_t post_id, std::int64_t voter_id, int position,
                 const std::string& activity_uri, Millis voted_at) {
  auto s = Statement::prepare(conn, kAdd);
  if (!s) return detail::fail<bool>(s.error());
  s->bind(1, post_id).bind(2, voter_id).bind(3, static_cast<std::int64_t>(position));
  s->bind(4, activity_uri).bind(5, voted_at);
  if (auto run = s->run(); !run) return detail::fail<bool>(run.error());
  return conn.changes() > 0;
}

Result<std::vector<int>> choices_of(Connection& conn, std::int64_t post_id,
                                    std::int64_t voter_id) {
  auto s = Statement::prepare(conn, kChoicesOf);
  if (!s) return s.error();
  s->bind(1, post_id).bind(2, voter_id);
  return detail::fetch_all(
      *s, [](const Statement& st) { return static_cast<int>(st.column_int64(0)); });
}

}  // namespace civicpub::storage::remote_poll_votes
