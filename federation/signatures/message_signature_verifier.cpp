#include "federation/signatures/message_signature_verifier.hpp"

#include "federation/crypto/key_cache.hpp"
#include "federation/crypto/rsa_signature.hpp"
#include "federation/signatures/digest.hpp"
#include "federation/signatures/freshness.hpp"

#include <algorithm>

namespace civicpub::federation::signatures {
namespace {

bool covers(const MessageSignature& sig, std::string_view name) {
  return std::find(sig.components.begin(), sig.components.end(), name) != sig.components.end();
}

}  // namespace

Result<void> check_message_request(const MessageSignature& sig, const SignedRequestView& request,
                                   std::chrono::system_clock::time_point now,
                                   const VerifyOptions& options) {
  // Fedify writes alg="rsa-v1_5-sha256"; RFC 9421 lets the key imply it when absent.
  if (!sig.alg.empty() && !iequals(sig.alg, "rsa-v1_5-sha256")) {
    return SignatureError::unsupported_algorithm;
  }
  if (!sig.created || sig.key_id.empty()) return SignatureError::malformed_header;
  std::optional<SysSeconds> expires;
  if (sig.expires) expires = SysSeconds(std::chrono::seconds(*sig.expires));
  if (auto r =
          check_freshness(SysSeconds(std::chrono::seconds(*sig.created)), expires, now, options);
      !r) {
    return r;
  }
  if (!covers(sig, "@method") || !covers(sig, "@target-uri")) {
    return SignatureError::header_not_covered;
  }
  if (options.require_digest_on_post && iequals(request.method, "POST") &&
      !covers(sig, "content-digest")) {
    return SignatureError::header_not_covered;
  }
  if (covers(sig, "content-digest")) {
    auto digest = request.headers.find("content-digest");
    if (!digest) return SignatureError::missing_header;
    if (auto r = check_content_digest_header(*digest, request.body); !r) return r;
  }
  return {};
}

Result<void> verify_message_signature(const MessageSignature& sig, const SignedRequestView& request,
                                      const RequestOrigin& origin, std::string_view public_pem,
                                      std::chrono::system_clock::time_point now,
                                      const VerifyOptions& options) {
  if (auto r = check_message_request(sig, request, now, options); !r) return r;
  auto key = crypto::cached_rsa_public_key(public_pem);
  if (!key) return SignatureError::key_mismatch;
  auto base = build_signature_base(sig, request, origin);
  if (!base) return base.error();
  if (!crypto::rsa_sha256_verify(key->get(), *base, sig.signature)) {
    return SignatureError::bad_signature;
  }
  return {};
}

}  // namespace civicpub::federation::signatures
