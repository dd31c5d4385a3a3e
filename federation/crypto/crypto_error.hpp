// Errors of the crypto helpers (base64, PEM keys, RSA signatures).
#pragma once

#include "storage/error_kind.hpp"

#include <boost/system/error_code.hpp>

#include <type_traits>

namespace civicpub::federation::crypto {

enum class CryptoError {
  invalid_base64 = 1,  // not strict standard base64 (alphabet, padding, length)
  invalid_key,         // PEM unreadable, or not an RSA key of the expected kind
  bad_signature,       // the signature does not verify with this key
  openssl_failure,     // OpenSSL failed on valid input: a broken environment
};

const KindedCategory& crypto_category() noexcept;

inline boost::system::error_code make_error_code(CryptoError e) noexcept {
  return {static_cast<int>(e), crypto_category()};
}

}  // namespace civicpub::federation::crypto

template <>
struct boost::system::is_error_code_enum<civicpub::federation::crypto::CryptoError>
    : std::true_type {};
