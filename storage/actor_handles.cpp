#include "storage/actor_handles.hpp"

#include "storage/detail/actor_row.hpp"
#include "storage/detail/query.hpp"
#include "storage/statement.hpp"

namespace civicpub::storage::actors {
namespace {

constexpr const char* kFindByHandle =
    "SELECT " CIVICPUB_ACTOR_COLUMNS("") " FROM actors "
    "WHERE username = ?1 COLLATE NOCASE AND domain = ?2 COLLATE NOCASE ORDER BY local DESC, id "
    "LIMIT 1";

}  // namespace

Result<std::optional<ActorRecord>> find_by_handle(Connection& conn, std::string_view username,
                                                  std::string_view domain) {
  auto s = Statement::prepare(conn, kFindByHandle);
  if (!s) return s.error();
  s->bind(1, username).bind(2, domain);
  return detail::fetch_one(*s, detail::read_actor_row);
}

}  // namespace civicpub::storage::actors
