// Ed25519 keys for integrity proofs (FEP-8b32, FEDERATION.md "Integrity proofs"): the private
// keys of local actors (they live only in local_assertion_keys, never in deliveries or logs) and
// the FEP-521a assertionMethod keys of remote actors, cached so that a proof verifies without
// fetching the actor each time.
#pragma once

#include "storage/connection.hpp"
#include "storage/records.hpp"

#include <optional>
#include <string_view>

namespace civicpub::storage::assertion_keys {

// Errc::conflict if the actor already has a key; Errc::constraint if there is no such actor.
Result<void> insert_local(Connection& conn, const LocalAssertionKeyRecord& key);
Result<std::optional<LocalAssertionKeyRecord>> find_local(Connection& conn, std::int64_t actor_id);

// Inserts or replaces the key with this key_id (a rotated key, a refetch).
Result<void> upsert_remote(Connection& conn, const RemoteAssertionKeyRecord& key);
Result<std::optional<RemoteAssertionKeyRecord>> find_remote(Connection& conn,
                                                            std::string_view key_id);
// Forgets the key (it is no longer in its actor's document). Not finding it is no error.
Result<void> remove_remote(Connection& conn, std::string_view key_id);

}  // namespace civicpub::storage::assertion_keys
