// The POST that carries one delivery row: the activity JSON, Content-Type
// application/activity+json, and a draft-cavage signature computed in the transport's SignHook,
// so every hop of a redirect is signed again for its own host and path (INTEROP.md section 2).
#pragma once

#include "federation/clock.hpp"
#include "federation/http/transport.hpp"
#include "federation/keys/signing_key.hpp"
#include "storage/records.hpp"

namespace civicpub::federation::delivery {

// Checks up front that the key is usable (a broken key is a permanent failure that must
// not be found out only inside the hook, which cannot report it). Errors: the signer's
// (key_mismatch, malformed_header) or HttpError::bad_url for an inbox URL that does not parse.
Result<http::OutboundRequest> build_delivery_request(const storage::DeliveryRecord& row,
                                                     SigningKey key, Clock clock);

}  // namespace civicpub::federation::delivery
