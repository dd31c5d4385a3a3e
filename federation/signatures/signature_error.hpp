// Why an HTTP signature (draft-cavage or RFC 9421) was refused.
//
// Every value is of kind `unauthorized`, malformed headers included: Mastodon answers 401 to an
// unparsable Signature, and Fedify re-sends with draft-cavage only after a 4xx/5xx, retrying 401
// (INTEROP.md section 2). A 400 would tell a peer its activity is bad and must not be retried,
// which is wrong for a signature we merely failed to understand.
#pragma once

#include "common/error_kind.hpp"

#include <boost/system/error_code.hpp>

#include <type_traits>

namespace civicpub::federation::signatures {

enum class SignatureError {
  missing_signature = 1,  // no Signature (or Signature-Input) header at all
  malformed_header,       // Signature / Signature-Input unparsable, or a required field absent
  unsupported_algorithm,  // not rsa-sha256 / hs2019 / rsa-v1_5-sha256
  header_not_covered,     // a header we require is not in the signed list
  missing_header,         // a signed header is absent from the request
  digest_mismatch,        // Digest / Content-Digest does not match the body (or is unusable)
  date_too_old,           // Date / created older than the window allows, or expired
  date_in_future,         // Date / created too far ahead
  bad_signature,          // the cryptographic check failed
  key_mismatch,           // the supplied key is unusable (not RSA, unreadable PEM)
  wrong_host,             // the signed Host is not one this server answers to
};

const KindedCategory& signature_category() noexcept;

inline boost::system::error_code make_error_code(SignatureError e) noexcept {
  return {static_cast<int>(e), signature_category()};
}

}  // namespace civicpub::federation::signatures

template <>
struct boost::system::is_error_code_enum<civicpub::federation::signatures::SignatureError>
    : std::true_type {};
