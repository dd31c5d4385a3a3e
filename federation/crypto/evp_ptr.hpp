// Owning handles for OpenSSL objects, so every exit path frees them.
#pragma once

#include <openssl/bio.h>
#include <openssl/decoder.h>
#include <openssl/evp.h>

#include <memory>

namespace civicpub::federation::crypto {

struct EvpDeleter {
  void operator()(EVP_PKEY* p) const noexcept { EVP_PKEY_free(p); }
  void operator()(EVP_MD_CTX* p) const noexcept { EVP_MD_CTX_free(p); }
  void operator()(EVP_PKEY_CTX* p) const noexcept { EVP_PKEY_CTX_free(p); }
  void operator()(BIO* p) const noexcept { BIO_free(p); }
  void operator()(OSSL_DECODER_CTX* p) const noexcept { OSSL_DECODER_CTX_free(p); }
};

using PkeyPtr = std::unique_ptr<EVP_PKEY, EvpDeleter>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, EvpDeleter>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, EvpDeleter>;
using BioPtr = std::unique_ptr<BIO, EvpDeleter>;
using DecoderCtxPtr = std::unique_ptr<OSSL_DECODER_CTX, EvpDeleter>;

}  // namespace civicpub::federation::crypto
