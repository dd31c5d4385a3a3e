// Finding a stored actor by its handle (username@domain), for the client API's account lookup.
#pragma once

#include "storage/connection.hpp"
#include "storage/records.hpp"

#include <optional>
#include <string_view>

namespace civicpub::storage::actors {

// A stored actor by its handle, local or remote, case-insensitive; a local one first.
Result<std::optional<ActorRecord>> find_by_handle(Connection& conn, std::string_view username,
                                                  std::string_view domain);

}  // namespace civicpub::storage::actors
