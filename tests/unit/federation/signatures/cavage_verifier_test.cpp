// draft-cavage verifier: round trips and one negative test per rejection rule.
#include "federation/signatures/cavage_verifier.hpp"
#include "federation/crypto/base64.hpp"
#include "federation/crypto/rsa_key.hpp"
#include "federation/crypto/rsa_signature.hpp"
#include "federation/signatures/cavage_signature.hpp"
#include "federation/signatures/cavage_signer.hpp"
#include "federation/signatures/digest.hpp"

#include "tests/unit/support/actors.hpp"
#include "tests/unit/support/signature_fixtures.hpp"

#include <catch2/catch.hpp>

using namespace civicpub::federation::signatures;
using civicpub::test::read_vector;
using namespace std::chrono_literals;

namespace {

const auto kNow = civicpub::test::cavage_date();

// A request signed by hand over `names`, so tests can build signatures the signer never makes.
struct HandSigned {
  std::string method = "POST";
  std::string target = "/inbox?x=1";
  std::string body = R"({"type":"Create"})";
  HeaderList headers;

  void sign(const std::vector<std::string>& names, std::string_view signed_target,
            std::string_view algorithm = "rsa-sha256", std::string extra = "") {
    SignedRequestView view{method, signed_target, headers, body};
    auto text = build_signing_string(names, view, {}, {}).value();
    auto sig = civicpub::federation::crypto::rsa_sha256_sign(read_vector("priv.pem"), text).value();
    std::string joined;
    for (const auto& n : names) joined += (joined.empty() ? "" : " ") + n;
    headers.set("Signature", "keyId=\"k\",algorithm=\"" + std::string(algorithm) + "\",headers=\"" +
                                 joined + "\",signature=\"" +
                                 civicpub::federation::crypto::base64_encode(sig) + "\"" + extra);
  }

  civicpub::Result<void> verify(std::chrono::system_clock::time_point now = kNow,
                                std::string_view pem = {}) const {
    auto parsed = parse_request_signature(headers);
    if (!parsed) return parsed.error();
    std::string pub = pem.empty() ? read_vector("pub.pem") : std::string(pem);
    return verify_cavage(*parsed, SignedRequestView{method, target, headers, body}, pub, now);
  }
};

HandSigned signed_post() {
  HandSigned r;
  r.headers = {{"Host", "town.example"},
               {"Date", "Sun, 05 Jan 2014 21:31:40 GMT"},
               {"Digest", make_digest_header(R"({"type":"Create"})")},
               {"Content-Type", "application/activity+json"}};
  r.sign({"(request-target)", "host", "date", "digest", "content-type"}, r.target);
  return r;
}

}  // namespace

TEST_CASE("a correctly signed POST verifies") {
  CHECK(signed_post().verify());
}

TEST_CASE("signer output verifies - a one-byte body change fails") {
  HeaderList headers{{"Content-Type", "application/activity+json"}};
  std::string body = R"({"type":"Note","content":"hello"})";
  const std::string priv = read_vector("priv.pem");
  CavageSignInput in{"POST", "/users/a/inbox", "town.example", body, "k#main-key", priv, kNow};
  REQUIRE(sign_request(in, headers));
  auto parsed = parse_request_signature(headers).value();
  auto pub = read_vector("pub.pem");
  CHECK(
      verify_cavage(parsed, SignedRequestView{"POST", "/users/a/inbox", headers, body}, pub, kNow));
  std::string changed = body;
  changed[10] ^= 1;
  auto r = verify_cavage(parsed, SignedRequestView{"POST", "/users/a/inbox", headers, changed}, pub,
                         kNow);
  REQUIRE_FALSE(r);
  CHECK(r.error() == SignatureError::digest_mismatch);
}

TEST_CASE("signer output verifies with a fresh 2048-bit key") {
  const auto& pair = civicpub::test::rsa_key("https://town.example/actor");
  HeaderList headers{{"Accept", "application/activity+json"}};
  auto now = std::chrono::system_clock::now();
  CavageSignInput in{"GET", "/users/a", "town.example", "", "k", pair.private_pem, now};
  REQUIRE(sign_request(in, headers));
  auto parsed = parse_request_signature(headers).value();
  CHECK(verify_cavage(parsed, SignedRequestView{"GET", "/users/a", headers, ""}, pair.public_pem,
                      now));
}

TEST_CASE("(request-target) verifies with and without the query string") {
  auto mastodon = signed_post();  // signed with the query
  CHECK(mastodon.verify());
  auto fedify = signed_post();
  fedify.sign({"(request-target)", "host", "date", "digest"}, "/inbox");  // path alone
  CHECK(fedify.verify());
  auto other = signed_post();
  other.sign({"(request-target)", "host", "date", "digest"}, "/inbox?x=2");
  CHECK(other.verify().error() == SignatureError::bad_signature);
}

TEST_CASE("hs2019, an absent algorithm and any case of rsa-sha256 are accepted") {
  for (const char* alg : {"hs2019", "RSA-SHA256", "Hs2019"}) {
    INFO(alg);
    auto r = signed_post();
    r.sign({"(request-target)", "host", "date", "digest"}, r.target, alg);
    CHECK(r.verify());
  }
}

TEST_CASE("rejects: unsupported algorithm") {
  for (const char* alg : {"rsa-sha512", "ed25519", "hmac-sha256"}) {
    auto r = signed_post();
    r.sign({"(request-target)", "host", "date", "digest"}, r.target, alg);
    CHECK(r.verify().error() == SignatureError::unsupported_algorithm);
  }
}

TEST_CASE("rejects: missing signature and malformed header") {
  auto r = signed_post();
  r.headers.remove("signature");
  CHECK(r.verify().error() == SignatureError::missing_signature);
  r.headers.set("Signature", "keyId=\"k\",signature=");
  CHECK(r.verify().error() == SignatureError::malformed_header);
}

TEST_CASE("rejects: required header not covered") {
  auto r = signed_post();
  r.sign({"(request-target)", "host", "date"}, r.target);  // POST without digest
  CHECK(r.verify().error() == SignatureError::header_not_covered);
  r.sign({"(request-target)", "host", "digest"}, r.target);  // no date
  CHECK(r.verify().error() == SignatureError::header_not_covered);
  r.sign({"host", "date", "digest"}, r.target);  // no (request-target)
  CHECK(r.verify().error() == SignatureError::header_not_covered);
  auto get = signed_post();
  get.method = "GET";
  get.body.clear();
  get.sign({"(request-target)", "date"}, get.target);  // GET without host
  CHECK(get.verify().error() == SignatureError::header_not_covered);
  get.sign({"(request-target)", "host", "date"}, get.target);
  CHECK(get.verify());
}

TEST_CASE("rejects: Appendix C.1 (date only) is not enough") {
  auto headers = civicpub::test::cavage_headers();
  auto body = read_vector("body.json");
  auto parsed = parse_signature_header(
      "keyId=\"Test\",algorithm=\"rsa-sha256\",signature=\"SjWJWbWN7i0wzBvtPl8rbASWz5xQW6mcJmn+ibt"
      "tBqtifLN7Sazz6m79cNfwwb8DMJ5cou1s7uEGKKCs+FLEEaDV5lp7q25WqS+"
      "lavg7T8hc0GppauB6hbgEKTwblDHYGEtb"
      "GmtdHgVCk9SuS13F0hZ8FD0k/5OxEPXe5WozsbM=\"");
  REQUIRE(parsed.has_value());
  auto r = verify_cavage(*parsed,
                         SignedRequestView{"POST", civicpub::test::kCavageTarget, headers, body},
                         read_vector("pub.pem"), kNow);
  CHECK(r.error() == SignatureError::header_not_covered);
}

TEST_CASE("rejects: a signed header missing from the request") {
  auto r = signed_post();
  r.headers.remove("content-type");
  CHECK(r.verify().error() == SignatureError::missing_header);
}

TEST_CASE("rejects: digest mismatch, and the Digest token is case-insensitive") {
  auto r = signed_post();
  r.body += " ";
  CHECK(r.verify().error() == SignatureError::digest_mismatch);

  auto lower = signed_post();
  auto value = lower.headers.find("digest").value();
  lower.headers.set("Digest", "sha-256" + value.substr(7));
  lower.sign({"(request-target)", "host", "date", "digest"}, lower.target);
  CHECK(lower.verify());
}

TEST_CASE("rejects: Date too old or in the future, within the window accepted") {
  auto r = signed_post();
  CHECK(r.verify(kNow + 64min));
  CHECK(r.verify(kNow - 59min));
  CHECK(r.verify(kNow + 66min).error() == SignatureError::date_too_old);
  CHECK(r.verify(kNow - 61min).error() == SignatureError::date_in_future);
}

TEST_CASE("rejects: expired signature and unparsable Date") {
  auto r = signed_post();
  r.sign({"(request-target)", "host", "date", "digest"}, r.target, "hs2019",
         ",expires=1388957510");  // Date + 10 s
  CHECK(r.verify(kNow + 30min));
  CHECK(r.verify(kNow + 62min).error() == SignatureError::date_too_old);

  auto bad = signed_post();
  bad.headers.set("Date", "yesterday");
  bad.sign({"(request-target)", "host", "date", "digest"}, bad.target);
  CHECK(bad.verify().error() == SignatureError::malformed_header);
}

TEST_CASE("(created) replaces Date for hs2019") {
  auto r = signed_post();
  r.headers.remove("date");
  SignedRequestView view{r.method, r.target, r.headers, r.body};
  std::vector<std::string> names{"(request-target)", "(created)", "host", "digest"};
  auto text = build_signing_string(names, view, 1388957500, {}).value();
  auto sig = civicpub::federation::crypto::rsa_sha256_sign(read_vector("priv.pem"), text).value();
  r.headers.set("Signature",
                "keyId=\"k\",algorithm=\"hs2019\",created=1388957500,headers=\"(request-target) "
                "(created) host digest\",signature=\"" +
                    civicpub::federation::crypto::base64_encode(sig) + "\"");
  CHECK(r.verify());
  CHECK(r.verify(kNow + 2h).error() == SignatureError::date_too_old);
}

TEST_CASE("rejects: wrong key, and an unusable key") {
  auto r = signed_post();
  const auto& other = civicpub::test::rsa_key("someone else");
  CHECK(r.verify(kNow, other.public_pem).error() == SignatureError::bad_signature);
  CHECK(r.verify(kNow, "-----BEGIN PUBLIC KEY-----\nAA==\n-----END PUBLIC KEY-----\n").error() ==
        SignatureError::key_mismatch);
}

TEST_CASE("rejects: a tampered signed header") {
  auto r = signed_post();
  r.headers.set("Content-Type", "text/plain");
  CHECK(r.verify().error() == SignatureError::bad_signature);
}
