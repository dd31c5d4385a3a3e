#include "storage/local_keys.hpp"

#include "storage/detail/query.hpp"
#include "storage/statement.hpp"

namespace civicpub::storage::local_keys {
namespace {

constexpr const char* kInsert =
    "INSERT INTO local_keys (actor_id, private_key_pem, public_key_pem, created_at) "
    "VALUES (?1, ?2, ?3, ?4)";
constexpr const char* kFindByActor =
    "SELECT actor_id, private_key_pem, public_key_pem, created_at FROM local_keys "
    "WHERE actor_id = ?1";

LocalKeyRecord read_row(const Statement& s) {
  return {s.column_int64(0), s.column_text(1), s.column_text(2), s.column_int64(3)};
}

}  // namespace

Result<void> insert(Connection& conn, const LocalKeyRecord& key) {
  auto s = Statement::prepare(conn, kInsert);
  if (!s) return s.error();
  s->bind(1, key.actor_id).bind(2, key.private_key_pem).bind(3, key.public_key_pem);
  s->bind(4, key.created_at);
  return s->run();
}

Result<std::optional<LocalKeyRecord>> find_by_actor(Connection& conn, std::int64_t actor_id) {
  auto s = Statement::prepare(conn, kFindByActor);
  if (!s) return s.error();
  s->bind(1, actor_id);
  return detail::fetch_one(*s, read_row);
}

}  // namespace civicpub::storage::local_keys
