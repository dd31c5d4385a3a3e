#include "storage/post_lookup.hpp"

#include "storage/detail/query.hpp"
#include "storage/posts.hpp"
#include "storage/statement.hpp"

namespace civicpub::storage::posts {
namespace {

constexpr const char* kApIdByUrl =
    "SELECT ap_id FROM posts WHERE url = ?1 AND url <> '' ORDER BY id LIMIT 1";

}  // namespace

Result<std::optional<PostRecord>> find_by_url(Connection& conn, std::string_view url) {
  auto s = Statement::prepare(conn, kApIdByUrl);
  if (!s) return s.error();
  s->bind(1, url);
  auto ap_id = detail::fetch_one(*s, [](const Statement& row) { return row.column_text(0); });
  if (!ap_id) return ap_id.error();
  if (!*ap_id) return std::optional<PostRecord>();
  return find_by_ap_id(conn, **ap_id);
}

}  // namespace civicpub::storage::posts
