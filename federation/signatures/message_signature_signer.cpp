#include "federation/signatures/message_signature_signer.hpp"

#include "federation/crypto/base64.hpp"
#include "federation/crypto/rsa_signature.hpp"
#include "federation/signatures/digest.hpp"
#include "federation/http/http_date.hpp"

namespace civicpub::federation::signatures {

Result<void> sign_message(const MessageSignInput& in, HeaderList& headers) {
  if (!headers.contains("host")) headers.set("Host", in.origin.authority);
  headers.set("Date", http::format_http_date(in.now));
  MessageSignature sig;
  sig.label = "sig1";
  for (const char* name : {"@method", "@target-uri", "@authority", "host", "date"}) {
    sig.input.items.push_back(sf::Item{std::string(name), {}});
  }
  bool bodiless = iequals(in.method, "GET") || iequals(in.method, "HEAD");
  if (!bodiless || !in.body.empty()) {
    headers.set("Content-Digest", make_content_digest_header(in.body));
    sig.input.items.push_back(sf::Item{std::string("content-digest"), {}});
  }
  auto created = std::chrono::duration_cast<std::chrono::seconds>(in.now.time_since_epoch());
  sig.input.params = {{"alg", std::string("rsa-v1_5-sha256")},
                      {"keyid", std::string(in.key_id)},
                      {"created", int64_t(created.count())}};

  SignedRequestView view{in.method, in.target, headers, in.body};
  auto base = build_signature_base(sig, view, in.origin);
  if (!base) return base.error();
  auto bytes = crypto::rsa_sha256_sign(in.private_pem, *base);
  if (!bytes) return SignatureError::key_mismatch;
  headers.set("Signature-Input", sig.label + "=" + sf::serialize(sig.input));
  headers.set("Signature", sig.label + "=" + sf::serialize(sf::BareItem(sf::ByteSequence{*bytes})));
  return {};
}

}  // namespace civicpub::federation::signatures
