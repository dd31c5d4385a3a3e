// The Mastodon client API's statuses for error kinds: status_for (response.hpp, the one general
// mapping), except invalid_input, which Mastodon answers with 422 Unprocessable Entity (its
// validation failures).
#pragma once

#include "common/error_kind.hpp"

#include <boost/beast/http/status.hpp>

namespace civicpub::server::http {

boost::beast::http::status api_status_for(civicpub::ErrorKind kind);

}  // namespace civicpub::server::http
