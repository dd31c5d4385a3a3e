// SHA-256 of a byte string (Digest, Content-Digest, and tests).
#pragma once

#include <string>
#include <string_view>

namespace civicpub::federation::crypto {

// The 32 raw digest bytes.
std::string sha256(std::string_view data);

}  // namespace civicpub::federation::crypto
