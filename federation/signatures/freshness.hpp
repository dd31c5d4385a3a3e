// The time window of a signature, shared by draft-cavage (Date or created) and RFC 9421
// (created).
#pragma once

#include "federation/http/http_date.hpp"
#include "federation/signatures/signature_error.hpp"
#include "federation/signatures/verify_options.hpp"

#include <optional>

namespace civicpub::federation::signatures {

using http::SysSeconds;

// date_in_future when signed_at > now + max_future; date_too_old when now > signed_at + max_age
// or, with an `expires`, when now > expires + max_future (Mastodon grants the same clock skew
// margin on both ends).
Result<void> check_freshness(SysSeconds signed_at, std::optional<SysSeconds> expires,
                             std::chrono::system_clock::time_point now,
                             const VerifyOptions& options);

}  // namespace civicpub::federation::signatures
