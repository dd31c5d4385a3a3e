#include "server/services/sessions.hpp"

#include "server/services/service_error.hpp"
#include "storage/actors.hpp"

namespace civicpub::server::services {
namespace {

constexpr int kMaxListed = 1000;

Result<std::int64_t> login_id(storage::Connection& conn, std::string_view username) {
  auto actor = storage::actors::find_local_by_username(conn, username);
  if (!actor) return actor.error();
  if (!*actor || (*actor)->deleted_at) return make_error_code(ServiceError::unknown_account);
  return (*actor)->id;
}

}  // namespace

Result<std::vector<storage::OAuthSessionRecord>> list_sessions(storage::Database& db,
                                                               std::string_view username) {
  return db.read([&](storage::Connection& conn)
                     -> Result<std::vector<storage::OAuthSessionRecord>> {
    auto id = login_id(conn, username);
    if (!id) return id.error();
    return storage::oauth::sessions_of(conn, *id, kMaxListed);
  });
}

Result<bool> revoke_session(storage::Database& db, std::string_view username,
                            std::int64_t token_id, storage::Millis now) {
  return db.write_sync([&](storage::Connection& conn) -> Result<bool> {
    auto id = login_id(conn, username);
    if (!id) return Result<bool>(boost::system::in_place_error, id.error());
    return storage::oauth::revoke_session(conn, token_id, *id, now);
  });
}

}  // namespace civicpub::server::services
