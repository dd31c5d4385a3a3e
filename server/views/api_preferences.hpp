// GET /api/v1/preferences: the account's posting defaults as update_credentials' source set
// them (storage/account_profile.hpp), in Mastodon's Preferences shape.
#pragma once

#include "storage/account_profile.hpp"
#include "storage/database.hpp"

#include <cstdint>
#include <string>

namespace civicpub::server::views {

Result<std::string> preferences_json(storage::Database& db, std::int64_t account_id);

// The same defaults, for a status posted without a visibility or language (as on Mastodon).
Result<storage::AccountSettings> posting_defaults(storage::Database& db, std::int64_t account_id);

}  // namespace civicpub::server::views
