// The key a local actor signs with, loaded at send time: private keys stay in `local_keys` and
// are never copied into delivery rows or queues.
#pragma once

#include "storage/connection.hpp"
#include "common/error_kind.hpp"

#include <cstdint>
#include <string>

namespace civicpub::federation {

struct SigningKey {
  std::string actor_uri;
  std::string key_id;       // <actor>#main-key
  std::string private_pem;  // RSA, PKCS#8
};

// storage::Errc::not_found when the actor is not local or has no key.
Result<SigningKey> load_signing_key(storage::Connection& conn, std::int64_t actor_id);

}  // namespace civicpub::federation
