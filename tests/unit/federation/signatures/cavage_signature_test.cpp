// draft-cavage-http-signatures-12: Appendix C vectors, parsing, and the signer.
#include "federation/signatures/cavage_signature.hpp"
#include "federation/crypto/base64.hpp"
#include "federation/crypto/rsa_signature.hpp"
#include "federation/signatures/cavage_signer.hpp"
#include "federation/signatures/cavage_verifier.hpp"

#include "tests/unit/support/signature_fixtures.hpp"

#include <catch2/catch.hpp>

using namespace civicpub::federation::signatures;
using civicpub::federation::crypto::base64_encode;
using civicpub::test::read_vector;

namespace {

struct AppendixCase {
  const char* name;
  std::vector<std::string> headers;
  const char* signature;
};

const AppendixCase kAppendixC[] = {
    {"C.1",
     {"date"},
     "SjWJWbWN7i0wzBvtPl8rbASWz5xQW6mcJmn+ibttBqtifLN7Sazz6m79cNfwwb8DMJ5cou1s7uEGKKCs+FLEEaDV5lp7"
     "q25WqS+lavg7T8hc0GppauB6hbgEKTwblDHYGEtbGmtdHgVCk9SuS13F0hZ8FD0k/5OxEPXe5WozsbM="},
    {"C.2",
     {"(request-target)", "host", "date"},
     "qdx+H7PHHDZgy4y/Ahn9Tny9V3GP6YgBPyUXMmoxWtLbHpUnXS2mg2+SbrQDMCJypxBLSPQR2aAjn7ndmw2iicw3HMbe"
     "8VfEdKFYRqzic+efkb3nndiv/x1xSHDJWeSWkx3ButlYSuBskLu6kd9Fswtemr3lgdDEmn04swr2Os0="},
    {"C.3",
     {"(request-target)", "host", "date", "content-type", "digest", "content-length"},
     "vSdrb+dS3EceC9bcwHSo4MlyKS59iFIrhgYkz8+oVLEEzmYZZvRs8rgOp+63LEM3v+MFHB32NfpB2bEKBIvB1q52LaEU"
     "HFv120V01IL+TAD48XaERZFukWgHoBTLMhYS2Gb51gWxpeIq8knRmPnYePbF5MOkR0Zkly4zKH7s1dE="},
};

}  // namespace

TEST_CASE("Appendix C.2 signing string is exact") {
  auto headers = civicpub::test::cavage_headers();
  auto body = read_vector("body.json");
  SignedRequestView view{"POST", civicpub::test::kCavageTarget, headers, body};
  auto s = build_signing_string({"(request-target)", "host", "date"}, view, {}, {});
  REQUIRE(s);
  CHECK(*s ==
        "(request-target): post /foo?param=value&pet=dog\n"
        "host: example.com\n"
        "date: Sun, 05 Jan 2014 21:31:40 GMT");
  auto path_only = build_signing_string({"(request-target)"}, view, {}, {}, false);
  CHECK(path_only.value() == "(request-target): post /foo");
}

TEST_CASE("Appendix C signatures are reproduced byte for byte and verify") {
  auto headers = civicpub::test::cavage_headers();
  auto body = read_vector("body.json");
  REQUIRE(body.size() == 18);
  SignedRequestView view{"POST", civicpub::test::kCavageTarget, headers, body};
  for (const auto& c : kAppendixC) {
    INFO(c.name);
    auto s = build_signing_string(c.headers, view, {}, {});
    REQUIRE(s);
    auto sig = civicpub::federation::crypto::rsa_sha256_sign(read_vector("priv.pem"), *s);
    REQUIRE(sig);
    CHECK(base64_encode(*sig) == c.signature);
  }
}

TEST_CASE("Appendix C.3 passes the full verifier with the 2014 clock") {
  auto headers = civicpub::test::cavage_headers();
  headers.add("Signature",
              std::string("keyId=\"Test\",algorithm=\"rsa-sha256\",headers=\"(request-target) host "
                          "date content-type digest content-length\",signature=\"") +
                  kAppendixC[2].signature + "\"");
  auto body = read_vector("body.json");
  SignedRequestView view{"POST", civicpub::test::kCavageTarget, headers, body};
  auto parsed = parse_request_signature(headers);
  REQUIRE(parsed.has_value());
  CHECK(parsed->key_id == "Test");
  CHECK(verify_cavage(*parsed, view, read_vector("pub.pem"), civicpub::test::cavage_date()));
}

TEST_CASE("parse_signature_header reads every field") {
  auto p = parse_signature_header(
      R"(keyId="https://a.example/users/x#main-key", algorithm="hs2019",)"
      R"(headers="(request-target) Host date",signature="Zm9v",created=1402170695,expires=1402170699)");
  REQUIRE(p.has_value());
  CHECK(p->key_id == "https://a.example/users/x#main-key");
  CHECK(p->algorithm == "hs2019");
  CHECK(p->headers == std::vector<std::string>{"(request-target)", "host", "date"});
  CHECK(p->signature == "foo");
  CHECK(p->created == 1402170695);
  CHECK(p->expires == 1402170699);
}

TEST_CASE("absent headers parameter means date") {
  auto p = parse_signature_header(R"(keyId="k",signature="Zm9v")");
  REQUIRE(p.has_value());
  CHECK(p->headers == std::vector<std::string>{"date"});
  CHECK(p->algorithm.empty());
}

TEST_CASE("malformed Signature headers are rejected") {
  for (const char* bad : {
           R"(keyId="k")",                                // no signature
           R"(signature="Zm9v")",                         // no keyId
           R"(keyId="k",signature="not base64!")",        // bad base64
           R"(keyId="k",signature="Zm9v)",                // unterminated quote
           R"(keyId="k",keyId="j",signature="Zm9v")",     // repeated parameter
           R"(keyId="k",signature="Zm9v",created=12x)",   // non-integer created
           R"(keyId="k",signature="Zm9v",headers="  ")",  // empty header list
           R"(keyId="k" signature="Zm9v")",               // missing comma
           "garbage",
       }) {
    INFO(bad);
    auto p = parse_signature_header(bad);
    REQUIRE_FALSE(p.has_value());
    CHECK(p.error() == SignatureError::malformed_header);
    CHECK(civicpub::kind_of(p.error()) == civicpub::ErrorKind::unauthorized);
  }
  CHECK(parse_signature_header("").error() == SignatureError::missing_signature);
  civicpub::federation::signatures::HeaderList none;
  CHECK(parse_request_signature(none).error() == SignatureError::missing_signature);
}

TEST_CASE("sign_request writes Mastodon's POST shape") {
  HeaderList headers{{"Content-Type", "application/activity+json"}};
  std::string body = R"({"type":"Follow"})";
  const std::string priv = read_vector("priv.pem");
  CavageSignInput in{"POST",
                     "/users/bob/inbox",
                     "remote.example",
                     body,
                     "https://town.example/users/council#main-key",
                     priv,
                     civicpub::test::cavage_date()};
  REQUIRE(sign_request(in, headers));
  CHECK(headers.find("host") == "remote.example");
  CHECK(headers.find("date") == "Sun, 05 Jan 2014 21:31:40 GMT");
  CHECK(headers.find("digest")->starts_with("SHA-256="));
  auto sig = headers.find("signature");
  REQUIRE(sig);
  CHECK(sig->starts_with(
      R"(keyId="https://town.example/users/council#main-key",algorithm="rsa-sha256",)"
      R"(headers="(request-target) host date digest content-type",signature=")"));
  SignedRequestView view{"POST", "/users/bob/inbox", headers, body};
  auto parsed = parse_request_signature(headers);
  REQUIRE(parsed.has_value());
  CHECK(verify_cavage(*parsed, view, read_vector("pub.pem"), civicpub::test::cavage_date()));
}

TEST_CASE("sign_request writes the GET shape and keeps an existing Host") {
  HeaderList headers{{"Host", "remote.example:8443"}, {"Accept", "application/activity+json"}};
  const std::string priv = read_vector("priv.pem");
  CavageSignInput in{"GET", "/users/bob?page=1",          "ignored.example", "", "k#main-key",
                     priv,  civicpub::test::cavage_date()};
  REQUIRE(sign_request(in, headers));
  CHECK(headers.find("host") == "remote.example:8443");
  CHECK_FALSE(headers.contains("digest"));
  CHECK(headers.find("signature")->find(R"(headers="(request-target) host date accept")") !=
        std::string::npos);
  auto parsed = parse_request_signature(headers);
  REQUIRE(parsed.has_value());
  SignedRequestView view{"GET", "/users/bob?page=1", headers, ""};
  CHECK(verify_cavage(*parsed, view, read_vector("pub.pem"), civicpub::test::cavage_date()));
}

TEST_CASE("sign_request refuses a bad key and a key id the header cannot carry") {
  HeaderList headers;
  CavageSignInput in{"POST", "/inbox", "h", "{}", "k", "not a key", civicpub::test::cavage_date()};
  CHECK(sign_request(in, headers).error() == SignatureError::key_mismatch);
  in.private_pem = "x";
  in.key_id = "a\"b";
  CHECK(sign_request(in, headers).error() == SignatureError::malformed_header);
}
