#include "storage/search.hpp"

#include "storage/detail/actor_row.hpp"
#include "storage/detail/query.hpp"

namespace civicpub::storage::search {
namespace {

constexpr const char* kAccounts =
    "SELECT " CIVICPUB_ACTOR_COLUMNS("") " FROM actors WHERE deleted_at IS NULL "
    "AND (username LIKE ?1 ESCAPE '\\' OR display_name LIKE ?1 ESCAPE '\\') "
    "AND (?2 = '' OR domain = ?2) ORDER BY local DESC, id LIMIT ?3";
constexpr const char* kHashtags =
    "SELECT DISTINCT name FROM post_hashtags WHERE name LIKE ?1 ESCAPE '\\' ORDER BY name LIMIT ?2";

std::string prefix_pattern(std::string_view prefix) {
  std::string out;
  for (char c : prefix) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out + "%";
}

}  // namespace

Result<std::vector<ActorRecord>> accounts(Connection& conn, std::string_view prefix,
                                          std::string_view domain, int limit) {
  auto s = Statement::prepare(conn, kAccounts);
  if (!s) return s.error();
  s->bind(1, prefix_pattern(prefix)).bind(2, domain).bind(3, limit);
  return detail::fetch_all(*s, detail::read_actor_row);
}

Result<std::vector<std::string>> hashtags(Connection& conn, std::string_view prefix, int limit) {
  auto s = Statement::prepare(conn, kHashtags);
  if (!s) return s.error();
  s->bind(1, prefix_pattern(prefix)).bind(2, limit);
  return detail::fetch_all(*s, [](const Statement& st) { return st.column_text(0); });
}

}  // namespace civicpub::storage::search
