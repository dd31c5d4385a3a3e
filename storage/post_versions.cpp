#include "storage/post_versions.hpp"

#include "storage/detail/query.hpp"
#include "storage/statement.hpp"

namespace civicpub::storage::post_versions {
namespace {

constexpr const char* kList =
    "SELECT content_html, summary, sensitive, created_at FROM post_versions WHERE post_id = ?1 "
    "ORDER BY id";

}  // namespace

Result<std::vector<PostVersionRecord>> list(Connection& conn, std::int64_t post_id) {
  auto s = Statement::prepare(conn, kList);
  if (!s) return s.error();
  s->bind(1, post_id);
  return detail::fetch_all(*s, [](const Statement& st) {
    return PostVersionRecord{st.column_text(0), st.column_text(1), st.column_int64(2) != 0,
                             st.column_int64(3)};
  });
}

}  // namespace civicpub::storage::post_versions
