// URIs of deleted objects (local or remote), so a Create that arrives after its Delete is ignored.
#pragma once

#include "storage/connection.hpp"
#include "storage/records.hpp"

#include <string_view>

namespace civicpub::storage::tombstones {

// Idempotent: adding a URI again keeps the first deletion time.
Result<void> add(Connection& conn, std::string_view uri, Millis deleted_at);
Result<bool> contains(Connection& conn, std::string_view uri);

}  // namespace civicpub::storage::tombstones
