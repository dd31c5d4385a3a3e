// Error pages for browsers. Servers asking for JSON get the JSON error from the HTTP layer; a
// person following a dead link gets a page that says what happened and links home.
#pragma once

#include "federation/as2/instance_info.hpp"

#include <string>

namespace civicpub::server::html {

// 404 "Page not found", 410 "This post or account is gone", anything else a generic "Something
// went wrong". The text never says more than the status does (STYLE.md rule 5: what a requester
// may not see is simply not found).
std::string error_page(const federation::as2::InstanceInfo& instance, unsigned status);

}  // namespace civicpub::server::html
