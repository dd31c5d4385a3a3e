#include "storage/assertion_keys.hpp"

#include "storage/detail/query.hpp"
#include "storage/statement.hpp"

namespace civicpub::storage::assertion_keys {
namespace {

constexpr const char* kInsertLocal =
    "INSERT INTO local_assertion_keys (actor_id, private_key_pem, public_key_multibase, "
    "created_at) VALUES (?1, ?2, ?3, ?4)";
constexpr const char* kFindLocal =
    "SELECT actor_id, private_key_pem, public_key_multibase, created_at "
    "FROM local_assertion_keys WHERE actor_id = ?1";
constexpr const char* kUpsertRemote =
    "INSERT INTO remote_assertion_keys (key_id, actor_uri, public_key_multibase, fetched_at) "
    "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (key_id) DO UPDATE SET actor_uri = excluded.actor_uri, "
    "public_key_multibase = excluded.public_key_multibase, fetched_at = excluded.fetched_at";
constexpr const char* kFindRemote =
    "SELECT key_id, actor_uri, public_key_multibase, fetched_at FROM remote_assertion_keys "
    "WHERE key_id = ?1";
constexpr const char* kRemoveRemote = "DELETE FROM remote_assertion_keys WHERE key_id = ?1";

LocalAssertionKeyRecord read_local(const Statement& s) {
  return {s.column_int64(0), s.column_text(1), s.column_text(2), s.column_int64(3)};
}

RemoteAssertionKeyRecord read_remote(const Statement& s) {
  return {s.column_text(0), s.column_text(1), s.column_text(2), s.column_int64(3)};
}

}  // namespace

Result<void> insert_local(Connection& conn, const LocalAssertionKeyRecord& key) {
  auto s = Statement::prepare(conn, kInsertLocal);
  if (!s) return s.error();
  s->bind(1, key.actor_id).bind(2, key.private_key_pem).bind(3, key.public_key_multibase);
  s->bind(4, key.created_at);
  return s->run();
}

Result<std::optional<LocalAssertionKeyRecord>> find_local(Connection& conn, std::int64_t actor_id) {
  auto s = Statement::prepare(conn, kFindLocal);
  if (!s) return s.error();
  s->bind(1, actor_id);
  return detail::fetch_one(*s, read_local);
}

Result<void> upsert_remote(Connection& conn, const RemoteAssertionKeyRecord& key) {
  auto s = Statement::prepare(conn, kUpsertRemote);
  if (!s) return s.error();
  s->bind(1, key.key_id).bind(2, key.actor_uri).bind(3, key.public_key_multibase);
  s->bind(4, key.fetched_at);
  return s->run();
}

Result<std::optional<RemoteAssertionKeyRecord>> find_remote(Connection& conn,
                                                            std::string_view key_id) {
  auto s = Statement::prepare(conn, kFindRemote);
  if (!s) return s.error();
  s->bind(1, key_id);
  return detail::fetch_one(*s, read_remote);
}

Result<void> remove_remote(Connection& conn, std::string_view key_id) {
  auto s = Statement::prepare(conn, kRemoveRemote);
  if (!s) return s.error();
  s->bind(1, key_id);
  return s->run();
}

}  // namespace civicpub::storage::assertion_keys
