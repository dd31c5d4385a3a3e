#include "server/services/passwords.hpp"

#include "federation/crypto/random.hpp"

#include <argon2.h>

#include <stdexcept>
#include <vector>

namespace civicpub::server::services {
namespace {

constexpr std::uint32_t kPasses = 2;
constexpr std::uint32_t kMemoryKib = 19456;
constexpr std::uint32_t kLanes = 1;
constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kHashBytes = 32;

}  // namespace

std::string hash_password(std::string_view password) {
  const std::string salt = federation::crypto::random_bytes(kSaltBytes);
  const std::size_t length =
      argon2_encodedlen(kPasses, kMemoryKib, kLanes, kSaltBytes, kHashBytes, Argon2_id);
  std::vector<char> encoded(length);
  const int rc = argon2id_hash_encoded(kPasses, kMemoryKib, kLanes, password.data(),
                                       password.size(), salt.data(), salt.size(), kHashBytes,
                                       encoded.data(), encoded.size());
  if (rc != ARGON2_OK) throw std::runtime_error(argon2_error_message(rc));
  return std::string(encoded.data());
}

bool verify_password(std::string_view encoded, std::string_view password) {
  if (password.size() > kMaxPasswordLength) return false;
  if (encoded.substr(0, 10) != "$argon2id$") return false;
  const std::string terminated(encoded);  // argon2 wants a C string
  return argon2id_verify(terminated.c_str(), password.data(), password.size()) == ARGON2_OK;
}

}  // namespace civicpub::server::services
