#include "federation/signatures/cavage_signer.hpp"

#include "federation/crypto/base64.hpp"
#include "federation/crypto/rsa_signature.hpp"
#include "federation/signatures/cavage_signature.hpp"
#include "federation/signatures/digest.hpp"
#include "federation/http/http_date.hpp"

#include <algorithm>

namespace civicpub::federation::signatures {

Result<void> sign_request(const CavageSignInput& in, HeaderList& headers) {
  if (std::any_of(in.key_id.begin(), in.key_id.end(), [](char c) {
        return c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20;
      })) {
    return SignatureError::malformed_header;
  }
  if (!headers.contains("host")) headers.set("Host", in.host);
  headers.set("Date", http::format_http_date(in.now));

  std::vector<std::string> names = {"(request-target)", "host", "date"};
  bool bodiless = iequals(in.method, "GET") || iequals(in.method, "HEAD");
  if (!bodiless || !in.body.empty()) {
    headers.set("Digest", make_digest_header(in.body));
    names.push_back("digest");
    if (headers.contains("content-type")) names.push_back("content-type");
  } else if (headers.contains("accept")) {
    names.push_back("accept");
  }

  SignedRequestView view{in.method, in.target, headers, in.body};
  auto signing_string = build_signing_string(names, view, std::nullopt, std::nullopt);
  if (!signing_string) return signing_string.error();
  auto signature = crypto::rsa_sha256_sign(in.private_pem, *signing_string);
  if (!signature) return SignatureError::key_mismatch;

  std::string joined;
  for (const auto& n : names) {
    if (!joined.empty()) joined += ' ';
    joined += n;
  }
  headers.set("Signature", "keyId=\"" + std::string(in.key_id) +
                               "\",algorithm=\"rsa-sha256\",headers=\"" + joined +
                               "\",signature=\"" + crypto::base64_encode(*signature) + "\"");
  return {};
}

}  // namespace civicpub::federation::signatures
