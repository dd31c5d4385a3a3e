// Multibase base58btc strings and Ed25519 Multikeys.
//
// base58btc is the Bitcoin alphabet; in multibase it carries the prefix 'z'. FEP-8b32 proofs put
// their signature in `proofValue` this way, and FEP-521a publishes an actor's Ed25519 key as a
// Multikey `publicKeyMultibase`: 'z' + base58btc(0xed 0x01 + 32 key bytes), which always starts
// "z6Mk". The multicodec prefix is the unsigned varint of the codec number (ed25519-pub 0xed,
// ed25519-priv 0x1300), so the private form starts 0x80 0x26.
#pragma once

#include "federation/crypto/crypto_error.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace civicpub::federation::crypto {

// Decoding is quadratic in the length: longer strings are refused before any work. Keys and
// signatures are far shorter (a 64-byte signature is at most 88 characters).
inline constexpr std::size_t kMaxBase58Chars = 1024;

std::string base58btc_encode(std::string_view bytes);
// Leading '1's are leading zero bytes. Errors: invalid_multibase (a character outside the
// alphabet, or longer than kMaxBase58Chars).
Result<std::string> base58btc_decode(std::string_view text);

// "z" + base58btc.
std::string multibase_encode(std::string_view bytes);
// Only the base58btc form: any other multibase prefix is invalid_multibase.
Result<std::string> multibase_decode(std::string_view text);

// "z6Mk..." for a 32-byte public key. Errors: invalid_key (not 32 bytes).
Result<std::string> ed25519_public_key_to_multikey(std::string_view public_key);
// The 32 raw bytes. Errors: invalid_multibase, invalid_key (not the ed25519-pub codec or not
// exactly 32 key bytes).
Result<std::string> ed25519_public_key_from_multikey(std::string_view multikey);

// The same for private keys (codec ed25519-priv), as test vectors and some tools write them.
Result<std::string> ed25519_private_key_to_multikey(std::string_view private_key);
Result<std::string> ed25519_private_key_from_multikey(std::string_view multikey);

}  // namespace civicpub::federation::crypto
