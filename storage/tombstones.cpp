#include "storage/tombstones.hpp"

#include "storage/detail/query.hpp"
#include "storage/statement.hpp"

namespace civicpub::storage::tombstones {
namespace {

constexpr const char* kAdd =
    "INSERT INTO tombstones (uri, deleted_at) VALUES (?1, ?2) ON CONFLICT (uri) DO NOTHING";
constexpr const char* kContains = "SELECT EXISTS (SELECT 1 FROM tombstones WHERE uri = ?1)";

}  // namespace

Result<void> add(Connection& conn, std::string_view uri, Millis deleted_at) {
  auto s = Statement::prepare(conn, kAdd);
  if (!s) return s.error();
  s->bind(1, uri).bind(2, deleted_at);
  return s->run();
}

Result<bool> contains(Connection& conn, std::string_view uri) {
  auto s = Statement::prepare(conn, kContains);
  if (!s) return detail::fail<bool>(s.error());
  s->bind(1, uri);
  auto n = detail::fetch_int(*s);
  if (!n) return detail::fail<bool>(n.error());
  return *n != 0;
}

}  // namespace civicpub::storage::tombstones
