// Errors of the crypto helpers (base64, base58btc/multibase, PEM keys, RSA and Ed25519 signatures).
#pragma once

#include "common/error_kind.hpp"

#include <boost/system/error_code.hpp>

#include <type_traits>

namespace civicpub::federation::crypto {

enum class CryptoError {
  invalid_base64 = 1,  // not strict standard base64 (alphabet, padding, length)
  invalid_key,         // PEM unreadable, or not a key of the expected kind and size
  bad_signature,       // the signature does not verify with this key
  openssl_failure,     // OpenSSL failed on valid input: a broken environment
  invalid_multibase,   // not a base58btc multibase string ('z' prefix, Bitcoin alphabet)
};

const KindedCategory& crypto_category() noexcept;

inline boost::system::error_code make_error_code(CryptoError e) noexcept {
  return {static_cast<int>(e), crypto_category()};
}

}  // namespace civicpub::federation::crypto

template <>
struct boost::system::is_error_code_enum<civicpub::federation::crypto::CryptoError>
    : std::true_type {};
