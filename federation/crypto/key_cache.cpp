#include "federation/crypto/key_cache.hpp"

#include "federation/crypto/pem_key.hpp"

namespace civicpub::federation::crypto {
namespace {

PkeyPtr new_reference(EVP_PKEY* key) {
  EVP_PKEY_up_ref(key);
  return PkeyPtr(key);
}

}  // namespace

ParsedKeyCache::ParsedKeyCache(Kind kind, std::size_t capacity)
    : kind_(kind), capacity_(capacity == 0 ? 1 : capacity) {}

Result<PkeyPtr> ParsedKeyCache::get(std::string_view pem) {
  {
    std::lock_guard lock(mutex_);
    if (auto it = entries_.find(pem); it != entries_.end()) {
      order_.splice(order_.begin(), order_, it->second.position);
      return new_reference(it->second.key.get());
    }
  }
  // Parsed outside the lock: two threads missing on the same text both parse, and one keeps it.
  auto parsed = kind_ == Kind::public_key ? load_rsa_public_key(pem) : load_rsa_private_key(pem);
  if (!parsed) return parsed.error();
  std::lock_guard lock(mutex_);
  if (auto it = entries_.find(pem); it != entries_.end()) {
    return new_reference(it->second.key.get());
  }
  if (entries_.size() >= capacity_) {
    entries_.erase(std::string_view(order_.back()));
    order_.pop_back();
  }
  order_.emplace_front(pem);
  entries_.emplace(std::string_view(order_.front()),
                   Entry{new_reference(parsed->get()), order_.begin()});
  return std::move(*parsed);
}

std::size_t ParsedKeyCache::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

Result<PkeyPtr> cached_rsa_public_key(std::string_view pem) {
  static ParsedKeyCache cache(ParsedKeyCache::Kind::public_key, 1024);
  return cache.get(pem);
}

Result<PkeyPtr> cached_rsa_private_key(std::string_view pem) {
  static ParsedKeyCache cache(ParsedKeyCache::Kind::private_key, 64);
  return cache.get(pem);
}

}  // namespace civicpub::federation::crypto
