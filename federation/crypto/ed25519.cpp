#include "federation/crypto/ed25519.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>

#include <climits>
#include <stdexcept>

namespace civicpub::federation::crypto {
namespace {

const unsigned char* bytes_of(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

// Refuses to prompt for a passphrase: stored keys are never encrypted, and a library must not
// read from the terminal.
int no_passphrase(char*, int, int, void*) {
  return 0;
}

Result<std::string> raw_private_of(EVP_PKEY* key) {
  std::string out(kEd25519KeyBytes, '\0');
  size_t len = out.size();
  if (EVP_PKEY_get_raw_private_key(key, reinterpret_cast<unsigned char*>(out.data()), &len) != 1 ||
      len != kEd25519KeyBytes) {
    ERR_clear_error();
    return CryptoError::invalid_key;
  }
  return out;
}

Result<std::string> raw_public_of(EVP_PKEY* key) {
  std::string out(kEd25519KeyBytes, '\0');
  size_t len = out.size();
  if (EVP_PKEY_get_raw_public_key(key, reinterpret_cast<unsigned char*>(out.data()), &len) != 1 ||
      len != kEd25519KeyBytes) {
    ERR_clear_error();
    return CryptoError::invalid_key;
  }
  return out;
}

}  // namespace

Ed25519KeyPair generate_ed25519_key_pair() {
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "ED25519", nullptr));
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) <= 0) {
    throw std::runtime_error("OpenSSL: cannot set up Ed25519 key generation");
  }
  EVP_PKEY* raw = nullptr;
  if (EVP_PKEY_generate(ctx.get(), &raw) <= 0) {
    throw std::runtime_error("OpenSSL: Ed25519 key generation failed");
  }
  PkeyPtr key(raw);
  auto priv = raw_private_of(key.get());
  auto pub = raw_public_of(key.get());
  if (!priv || !pub) throw std::runtime_error("OpenSSL: cannot read a generated Ed25519 key");
  return Ed25519KeyPair{std::move(*priv), std::move(*pub)};
}

Result<PkeyPtr> load_ed25519_private_key(std::string_view private_key) {
  if (private_key.size() != kEd25519KeyBytes) return CryptoError::invalid_key;
  PkeyPtr key(EVP_PKEY_new_raw_private_key_ex(nullptr, "ED25519", nullptr, bytes_of(private_key),
                                              private_key.size()));
  if (!key) {
    ERR_clear_error();
    return CryptoError::openssl_failure;  // any 32 bytes are a valid seed
  }
  return key;
}

Result<PkeyPtr> load_ed25519_public_key(std::string_view public_key) {
  if (public_key.size() != kEd25519KeyBytes) return CryptoError::invalid_key;
  PkeyPtr key(EVP_PKEY_new_raw_public_key_ex(nullptr, "ED25519", nullptr, bytes_of(public_key),
                                             public_key.size()));
  if (!key) {
    ERR_clear_error();
    return CryptoError::invalid_key;
  }
  return key;
}

Result<std::string> ed25519_public_key_of(std::string_view private_key) {
  auto key = load_ed25519_private_key(private_key);
  if (!key) return key.error();
  return raw_public_of(key->get());
}

Result<std::string> ed25519_private_key_to_pem(std::string_view private_key) {
  auto key = load_ed25519_private_key(private_key);
  if (!key) return key.error();
  BioPtr bio(BIO_new(BIO_s_mem()));
  // PEM_write_bio_PrivateKey writes PKCS#8 ("BEGIN PRIVATE KEY") for every key type.
  if (!bio ||
      PEM_write_bio_PrivateKey(bio.get(), key->get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return CryptoError::openssl_failure;
  }
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(len));
}

Result<std::string> ed25519_private_key_from_pem(std::string_view pem) {
  if (pem.empty() || pem.size() > INT_MAX) return CryptoError::invalid_key;
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return CryptoError::openssl_failure;
  PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, no_passphrase, nullptr));
  ERR_clear_error();  // a rejected PEM leaves decoder errors queued: they are not ours to keep
  if (!key || EVP_PKEY_is_a(key.get(), "ED25519") != 1) return CryptoError::invalid_key;
  return raw_private_of(key.get());
}

Result<std::string> ed25519_sign(EVP_PKEY* private_key, std::string_view data) {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  // Pure EdDSA: no digest is named, the message goes to the one-shot EVP_DigestSign whole.
  if (!ctx || EVP_PKEY_is_a(private_key, "ED25519") != 1 ||
      EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, private_key) != 1) {
    ERR_clear_error();
    return CryptoError::invalid_key;
  }
  std::string out(kEd25519SignatureBytes, '\0');
  size_t len = out.size();
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &len, bytes_of(data),
                     data.size()) != 1 ||
      len != kEd25519SignatureBytes) {
    return CryptoError::openssl_failure;
  }
  return out;
}

Result<std::string> ed25519_sign(std::string_view private_key, std::string_view data) {
  auto key = load_ed25519_private_key(private_key);
  if (!key) return key.error();
  return ed25519_sign(key->get(), data);
}

Result<void> ed25519_verify(EVP_PKEY* public_key, std::string_view data,
                            std::string_view signature) {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_PKEY_is_a(public_key, "ED25519") != 1 ||
      EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, public_key) != 1) {
    ERR_clear_error();
    return CryptoError::invalid_key;
  }
  if (signature.size() != kEd25519SignatureBytes ||
      EVP_DigestVerify(ctx.get(), bytes_of(signature), signature.size(), bytes_of(data),
                       data.size()) != 1) {
    ERR_clear_error();  // a forged signature is not an OpenSSL problem worth keeping
    return CryptoError::bad_signature;
  }
  return {};
}

Result<void> ed25519_verify(std::string_view public_key, std::string_view data,
                            std::string_view signature) {
  auto key = load_ed25519_public_key(public_key);
  if (!key) return key.error();
  return ed25519_verify(key->get(), data, signature);
}

}  // namespace civicpub::federation::crypto
