#include "federation/keys/signing_key.hpp"

#include "storage/actors.hpp"
#include "storage/errors.hpp"
#include "storage/local_keys.hpp"

namespace civicpub::federation {

Result<SigningKey> load_signing_key(storage::Connection& conn, std::int64_t actor_id) {
  auto actor = storage::actors::find_by_id(conn, actor_id);
  if (!actor) return actor.error();
  if (!*actor || !(*actor)->local) return make_error_code(storage::Errc::not_found);
  auto key = storage::local_keys::find_by_actor(conn, actor_id);
  if (!key) return key.error();
  if (!*key) return make_error_code(storage::Errc::not_found);
  return SigningKey{(*actor)->uri, (*actor)->key_id, (*key)->private_key_pem};
}

}  // namespace civicpub::federation
