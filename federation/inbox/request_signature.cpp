#include "federation/inbox/request_signature.hpp"

#include "federation/signatures/cavage_verifier.hpp"
#include "federation/signatures/message_signature_verifier.hpp"
#include "federation/signatures/signature_error.hpp"

namespace civicpub::federation {

using signatures::SignatureError;
using signatures::SignatureScheme;

Result<RequestSignature> read_request_signature(const signatures::HeaderList& headers) {
  RequestSignature out;
  out.scheme = signatures::detect_signature_scheme(headers);
  switch (out.scheme) {
    case SignatureScheme::none: return make_error_code(SignatureError::missing_signature);
    case SignatureScheme::cavage: {
      auto parsed = signatures::parse_request_signature(headers);
      if (!parsed) return parsed.error();
      out.key_id = parsed->key_id;
      out.cavage = std::move(*parsed);
      return out;
    }
    case SignatureScheme::rfc9421: {
      auto parsed = signatures::parse_message_signatures(headers);
      if (!parsed) return parsed.error();
      // Senders put one signature on a request (Fedify: "sig1"); a second one would be for
      // another verifier, and the first is what Mastodon checks too.
      if (parsed->empty() || parsed->front().key_id.empty()) {
        return make_error_code(SignatureError::malformed_header);
      }
      out.key_id = parsed->front().key_id;
      out.message = std::move(parsed->front());
      return out;
    }
  }
  return make_error_code(SignatureError::missing_signature);
}

Result<void> precheck_request_signature(const RequestSignature& signature,
                                        const signatures::SignedRequestView& request,
                                        std::chrono::system_clock::time_point now,
                                        const signatures::VerifyOptions& options) {
  if (signature.cavage) {
    return signatures::check_cavage_request(*signature.cavage, request, now, options);
  }
  if (signature.message) {
    return signatures::check_message_request(*signature.message, request, now, options);
  }
  return make_error_code(SignatureError::missing_signature);
}

Result<void> check_request_signature(const RequestSignature& signature,
                                     const signatures::SignedRequestView& request,
                                     const signatures::RequestOrigin& origin,
                                     std::string_view public_pem,
                                     std::chrono::system_clock::time_point now,
                                     const signatures::VerifyOptions& options) {
  if (signature.cavage) {
    return signatures::verify_cavage(*signature.cavage, request, public_pem, now, options);
  }
  if (signature.message) {
    return signatures::verify_message_signature(*signature.message, request, origin, public_pem,
                                                now, options);
  }
  return make_error_code(SignatureError::missing_signature);
}

}  // namespace civicpub::federation
