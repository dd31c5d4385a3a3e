#include "federation/crypto/rsa_signature.hpp"

#include "federation/crypto/key_cache.hpp"

#include <openssl/err.h>
#include <openssl/rsa.h>

namespace civicpub::federation::crypto {
namespace {

bool set_pkcs1_padding(EVP_PKEY_CTX* pctx) {
  return EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) > 0;
}

}  // namespace

Result<std::string> rsa_sha256_sign(EVP_PKEY* private_key, std::string_view data) {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;  // owned by ctx
  if (!ctx || EVP_DigestSignInit(ctx.get(), &pctx, EVP_sha256(), nullptr, private_key) != 1 ||
      !set_pkcs1_padding(pctx)) {
    return CryptoError::invalid_key;
  }
  size_t len = 0;
  const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
  if (EVP_DigestSign(ctx.get(), nullptr, &len, bytes, data.size()) != 1) {
    return CryptoError::openssl_failure;
  }
  std::string out(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &len, bytes,
                     data.size()) != 1) {
    return CryptoError::openssl_failure;
  }
  out.resize(len);
  return out;
}

Result<std::string> rsa_sha256_sign(std::string_view private_pem, std::string_view data) {
  auto key = cached_rsa_private_key(private_pem);
  if (!key) return key.error();
  return rsa_sha256_sign(key->get(), data);
}

Result<void> rsa_sha256_verify(EVP_PKEY* public_key, std::string_view data,
                               std::string_view signature) {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;  // owned by ctx
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), &pctx, EVP_sha256(), nullptr, public_key) != 1 ||
      !set_pkcs1_padding(pctx)) {
    return CryptoError::invalid_key;
  }
  int rc = EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                            signature.size(), reinterpret_cast<const unsigned char*>(data.data()),
                            data.size());
  if (rc != 1) {
    ERR_clear_error();  // a forged signature is not an OpenSSL problem worth keeping
    return CryptoError::bad_signature;
  }
  return {};
}

Result<void> rsa_sha256_verify(std::string_view public_pem, std::string_view data,
                               std::string_view signature) {
  auto key = cached_rsa_public_key(public_pem);
  if (!key) return key.error();
  return rsa_sha256_verify(key->get(), data, signature);
}

}  // namespace civicpub::federation::crypto
