// Parsed RSA keys kept between calls: parsing a PEM key costs several times the RSA operation
// itself (docs/performance.md), and the inbox verifies with the same few actors' keys and the
// delivery worker signs with the same local keys over and over.
//
// An entry is found by the PEM text itself, so a key that an actor rotated (and we refetched) is
// a different text and never answered with the old parse: nothing can be served stale, and there
// is nothing to invalidate by hand. Bounded (least recently used out first): the texts come from
// remote actors, and an attacker can make any number of them.
#pragma once

#include "federation/crypto/crypto_error.hpp"
#include "federation/crypto/evp_ptr.hpp"

#include <cstddef>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace civicpub::federation::crypto {

class ParsedKeyCache {
 public:
  enum class Kind { public_key, private_key };

  ParsedKeyCache(Kind kind, std::size_t capacity);
  ParsedKeyCache(const ParsedKeyCache&) = delete;
  ParsedKeyCache& operator=(const ParsedKeyCache&) = delete;

  // The parsed key for `pem` (a new reference the caller owns), parsed now on a miss. A PEM that
  // does not parse is not kept (CryptoError::invalid_key, as load_rsa_*_key).
  Result<PkeyPtr> get(std::string_view pem);

  std::size_t size() const;

 private:
  using Order = std::list<std::string>;  // most recently used first
  struct Entry {
    PkeyPtr key;
    Order::iterator position;
  };

  Kind kind_;
  std::size_t capacity_;
  mutable std::mutex mutex_;  // the server's I/O threads share the process-wide caches
  Order order_;
  std::unordered_map<std::string_view, Entry> entries_;  // views into order_'s strings
};

// The process-wide caches rsa_signature.hpp's PEM overloads and the signature verifiers use:
// 1024 public keys (about 1.5 MB when full), 64 private keys.
Result<PkeyPtr> cached_rsa_public_key(std::string_view pem);
Result<PkeyPtr> cached_rsa_private_key(std::string_view pem);

}  // namespace civicpub::federation::crypto
