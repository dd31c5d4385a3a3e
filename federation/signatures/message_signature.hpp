// RFC 9421 HTTP Message Signatures: the parsed Signature-Input/Signature pair and the signature
// base (section 2.5).
#pragma once

#include "federation/signatures/signature_error.hpp"
#include "federation/signatures/signed_request_view.hpp"
#include "federation/signatures/structured_fields.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace civicpub::federation::signatures {

struct MessageSignature {
  std::string label;    // "sig1" for Fedify
  sf::InnerList input;  // covered components with the signature parameters, as parsed
  std::vector<std::string> components;  // component names, e.g. "@method", "content-digest"
  std::optional<int64_t> created;
  std::optional<int64_t> expires;
  std::string key_id;  // keyid parameter: the inbox resolves it
  std::string alg;     // empty when absent
  std::string nonce;
  std::string tag;
  std::string signature;  // decoded bytes from the Signature dictionary
};

// How the request was addressed, which the request line alone does not say: the public scheme
// and authority of this server (behind a proxy, those the sender used), for @target-uri,
// @authority and @scheme.
struct RequestOrigin {
  std::string_view scheme;     // "https"
  std::string_view authority;  // "social.town.example" or "127.0.0.1:8080"
};

// Every signature in Signature-Input that has a matching byte sequence in Signature, in
// Signature-Input order. Errors: missing_signature (no Signature-Input), malformed_header
// (either field unparsable, a member not an inner list of strings, a parameter of the wrong
// type, or no label present in both).
Result<std::vector<MessageSignature>> parse_message_signatures(const HeaderList& headers);

// The signature base: one `"<component>": <value>` line per covered component, then the
// `"@signature-params"` line; "\n" separated, no trailing newline. Supports @method,
// @target-uri, @authority, @scheme, @request-target, @path, @query and header fields without
// parameters. Errors: missing_header (a covered field is absent), malformed_header (an
// unsupported derived component, component parameters, or a component listed twice).
Result<std::string> build_signature_base(const MessageSignature& signature,
                                         const SignedRequestView& request,
                                         const RequestOrigin& origin);

}  // namespace civicpub::federation::signatures
