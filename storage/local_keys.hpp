// Private keys of local actors. They live only in this table (never in deliveries or logs).
#pragma once

#include "storage/connection.hpp"
#include "storage/records.hpp"

#include <optional>

namespace civicpub::storage::local_keys {

// Errc::conflict if the actor already has a key; Errc::constraint if there is no such actor.
Result<void> insert(Connection& conn, const LocalKeyRecord& key);
Result<std::optional<LocalKeyRecord>> find_by_actor(Connection& conn, std::int64_t actor_id);

}  // namespace civicpub::storage::local_keys
