// The parameters of PATCH /api/v1/accounts/update_credentials (issue 13), checked as Mastodon
// checks them: display_name (30 characters), note (500), locked, bot, discoverable,
// fields_attributes[0..3][name|value] (255 characters each; a pair with both empty is dropped),
// source[privacy] (public, unlisted, private, direct), source[sensitive], source[language] (a
// BCP 47 shaped tag, or empty for none).
#pragma once

#include "server/routes/api_request.hpp"
#include "server/services/profile_service.hpp"

#include <string>
#include <variant>

namespace civicpub::server::routes {

// The change, or the 422 message ("Validation failed: ...").
std::variant<services::ProfileChange, std::string> profile_change(const Params& params);

}  // namespace civicpub::server::routes
