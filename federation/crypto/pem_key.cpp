#include "federation/crypto/pem_key.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>

#include <climits>

namespace civicpub::federation::crypto {
namespace {

// Callback that refuses to prompt for a passphrase: stored keys are never encrypted, and a
// library must not read from the terminal.
int no_passphrase(char*, int, int, void*) {
  return 0;
}

Result<PkeyPtr> require_rsa(EVP_PKEY* raw) {
  PkeyPtr key(raw);
  ERR_clear_error();  // a rejected PEM leaves decoder errors queued: they are not ours to keep
  if (!key || EVP_PKEY_is_a(key.get(), "RSA") != 1) return CryptoError::invalid_key;
  return key;
}

}  // namespace

Result<PkeyPtr> load_rsa_public_key(std::string_view pem) {
  if (pem.empty() || pem.size() > INT_MAX) return CryptoError::invalid_key;
  EVP_PKEY* raw = nullptr;
  // No structure given: the decoder tries SubjectPublicKeyInfo and the PKCS#1 "type-specific"
  // form, which PEM_read_bio_PUBKEY alone would reject.
  DecoderCtxPtr ctx(OSSL_DECODER_CTX_new_for_pkey(&raw, "PEM", nullptr, "RSA", EVP_PKEY_PUBLIC_KEY,
                                                  nullptr, nullptr));
  if (!ctx) return CryptoError::openssl_failure;
  const auto* data = reinterpret_cast<const unsigned char*>(pem.data());
  size_t len = pem.size();
  if (OSSL_DECODER_from_data(ctx.get(), &data, &len) != 1) {
    EVP_PKEY_free(raw);
    ERR_clear_error();
    return CryptoError::invalid_key;
  }
  return require_rsa(raw);
}

Result<PkeyPtr> load_rsa_private_key(std::string_view pem) {
  if (pem.empty() || pem.size() > INT_MAX) return CryptoError::invalid_key;
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return CryptoError::openssl_failure;
  return require_rsa(PEM_read_bio_PrivateKey(bio.get(), nullptr, no_passphrase, nullptr));
}

Result<void> validate_rsa_public_key_pem(std::string_view pem) {
  auto key = load_rsa_public_key(pem);
  if (!key) return key.error();
  return {};
}

Result<void> validate_rsa_private_key_pem(std::string_view pem) {
  auto key = load_rsa_private_key(pem);
  if (!key) return key.error();
  return {};
}

}  // namespace civicpub::federation::crypto
