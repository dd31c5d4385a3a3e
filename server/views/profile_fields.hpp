// A local account's profile fields as its actor document carries them (PropertyValue
// attachments, as Mastodon publishes them), set through update_credentials (issue 13).
#pragma once

#include "federation/as2/actor.hpp"
#include "storage/database.hpp"

#include <cstdint>
#include <vector>

namespace civicpub::server::views {

Result<std::vector<federation::as2::ProfileField>> profile_fields(storage::Database& db,
                                                                  std::int64_t actor_id);

}  // namespace civicpub::server::views
