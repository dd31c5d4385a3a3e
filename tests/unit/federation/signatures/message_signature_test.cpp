// RFC 9421: signature bases of Appendix B.2 and Fedify 2.3's first knock.
#include "federation/signatures/message_signature.hpp"
#include "federation/crypto/base64.hpp"
#include "federation/crypto/rsa_signature.hpp"
#include "federation/signatures/digest.hpp"
#include "federation/signatures/message_signature_signer.hpp"
#include "federation/signatures/message_signature_verifier.hpp"
#include "federation/signatures/signature_scheme.hpp"

#include "tests/unit/support/signature_fixtures.hpp"

#include <catch2/catch.hpp>

using namespace civicpub::federation::signatures;
using civicpub::test::read_vector;
using namespace std::chrono_literals;

namespace {

// RFC 9421 Appendix B.2's test-request.
HeaderList rfc_request_headers(std::string input) {
  return {{"Host", "example.com"},
          {"Date", "Tue, 20 Apr 2021 02:07:55 GMT"},
          {"Content-Type", "application/json"},
          {"Content-Digest",
           "sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEm"
           "THWXvJwew==:"},
          {"Content-Length", "18"},
          {"Signature-Input", std::move(input)},
          {"Signature", "sig=:Zm9v:"}};
}

std::string base_for(const std::string& input) {
  auto headers = rfc_request_headers("sig=" + input);
  auto sigs = parse_message_signatures(headers);
  REQUIRE(sigs.has_value());
  REQUIRE(sigs->size() == 1);
  SignedRequestView view{"POST", "/foo?param=Value&Pet=dog", headers, R"({"hello": "world"})"};
  auto base = build_signature_base(sigs->front(), view, {"https", "example.com"});
  REQUIRE(base.has_value());
  return *base;
}

const auto kNow = std::chrono::system_clock::time_point(1700000000s);

}  // namespace

TEST_CASE("RFC 9421 B.2.1 minimal signature base") {
  CHECK(
      base_for(
          R"(();created=1618884473;keyid="test-key-rsa-pss";nonce="b3k2pp5k7z-50gnwp.yemd")") ==
      R"("@signature-params": ();created=1618884473;keyid="test-key-rsa-pss";nonce="b3k2pp5k7z-50gnwp.yemd")");
}

TEST_CASE("RFC 9421 B.2.3 full coverage signature base") {
  CHECK(
      base_for(
          R"(("date" "@method" "@path" "@query" "@authority" "content-type" "content-digest" "content-length");created=1618884473;keyid="test-key-rsa-pss")") ==
      "\"date\": Tue, 20 Apr 2021 02:07:55 GMT\n"
      "\"@method\": POST\n"
      "\"@path\": /foo\n"
      "\"@query\": ?param=Value&Pet=dog\n"
      "\"@authority\": example.com\n"
      "\"content-type\": application/json\n"
      "\"content-digest\": "
      "sha-512=:WZDPaVn/"
      "7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:\n"
      "\"content-length\": 18\n"
      "\"@signature-params\": (\"date\" \"@method\" \"@path\" \"@query\" \"@authority\" "
      "\"content-type\" "
      "\"content-digest\" \"content-length\");created=1618884473;keyid=\"test-key-rsa-pss\"");
}

TEST_CASE("RFC 9421 B.2.6 ed25519 example's signature base") {
  CHECK(
      base_for(
          R"(("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519")") ==
      "\"date\": Tue, 20 Apr 2021 02:07:55 GMT\n"
      "\"@method\": POST\n"
      "\"@path\": /foo\n"
      "\"@authority\": example.com\n"
      "\"content-type\": application/json\n"
      "\"content-length\": 18\n"
      "\"@signature-params\": (\"date\" \"@method\" \"@path\" \"@authority\" \"content-type\" "
      "\"content-length\");created=1618884473;keyid=\"test-key-ed25519\"");
}

TEST_CASE("derived components: target-uri, scheme, request-target, default port, no query") {
  auto headers = rfc_request_headers(
      R"(sig=("@target-uri" "@scheme" "@request-target" "@authority" "@query");created=1)");
  auto sigs = parse_message_signatures(headers).value();
  SignedRequestView view{"GET", "/users/a", headers, ""};
  CHECK(build_signature_base(sigs[0], view, {"HTTPS", "Town.Example:443"}).value() ==
        "\"@target-uri\": https://town.example/users/a\n"
        "\"@scheme\": https\n"
        "\"@request-target\": /users/a\n"
        "\"@authority\": town.example\n"
        "\"@query\": ?\n"
        "\"@signature-params\": (\"@target-uri\" \"@scheme\" \"@request-target\" \"@authority\" "
        "\"@query\");created=1");
}

TEST_CASE("unsupported or malformed components are refused") {
  // B.2.2 uses @query-param;name="Pet": we do not support component parameters.
  auto headers = rfc_request_headers(
      R"(sig=("@authority" "content-digest" "@query-param";name="Pet");created=1618884473)");
  auto sigs = parse_message_signatures(headers).value();
  SignedRequestView view{"POST", "/foo?param=Value&Pet=dog", headers, ""};
  CHECK(build_signature_base(sigs[0], view, {"https", "example.com"}).error() ==
        SignatureError::malformed_header);
  headers.set("Signature-Input", R"(sig=("@method" "@method");created=1)");
  sigs = parse_message_signatures(headers).value();
  CHECK(build_signature_base(sigs[0], view, {"https", "example.com"}).error() ==
        SignatureError::malformed_header);
  headers.set("Signature-Input", R"(sig=("x-missing");created=1)");
  sigs = parse_message_signatures(headers).value();
  CHECK(build_signature_base(sigs[0], view, {"https", "example.com"}).error() ==
        SignatureError::missing_header);
}

TEST_CASE("parse_message_signatures errors") {
  HeaderList none;
  CHECK(parse_message_signatures(none).error() == SignatureError::missing_signature);
  for (const char* input : {"sig=(\"@method\"", "sig=\"@method\"", "sig=(@method);created=1",
                            "sig=(\"@method\");created=\"1\"", "other=(\"@method\")"}) {
    INFO(input);
    HeaderList h{{"Signature-Input", input}, {"Signature", "sig=:Zm9v:"}};
    CHECK(parse_message_signatures(h).error() == SignatureError::malformed_header);
  }
  HeaderList not_bytes{{"Signature-Input", "sig=();created=1"}, {"Signature", "sig=\"Zm9v\""}};
  CHECK(parse_message_signatures(not_bytes).error() == SignatureError::malformed_header);
}

// What Fedify 2.3 sends first (packages/fedify/src/sig/http.ts, signRequestRfc9421), written out
// by hand so the test does not depend on our signer.
TEST_CASE("Fedify 2.3's RFC 9421 POST verifies") {
  std::string body = R"({"@context":"https://www.w3.org/ns/activitystreams","type":"Follow"})";
  HeaderList headers{{"Content-Type", "application/activity+json"},
                     {"Host", "127.0.0.1:8080"},
                     {"Date", "Tue, 14 Nov 2023 22:13:20 GMT"},
                     {"Content-Digest", make_content_digest_header(body)}};
  std::string params =
      R"(;alg="rsa-v1_5-sha256";keyid="http://127.0.0.1:9000/users/fedi#main-key";created=1700000000)";
  std::string components =
      R"(("@method" "@target-uri" "@authority" "host" "date" "content-digest"))";
  std::string base =
      "\"@method\": POST\n"
      "\"@target-uri\": http://127.0.0.1:8080/users/council/inbox\n"
      "\"@authority\": 127.0.0.1:8080\n"
      "\"host\": 127.0.0.1:8080\n"
      "\"date\": Tue, 14 Nov 2023 22:13:20 GMT\n"
      "\"content-digest\": " +
      make_content_digest_header(body) +
      "\n"
      "\"@signature-params\": " +
      components + params;
  auto sig = civicpub::federation::crypto::rsa_sha256_sign(read_vector("priv.pem"), base).value();
  headers.add("Signature-Input", "sig1=" + components + params);
  headers.add("Signature", "sig1=:" + civicpub::federation::crypto::base64_encode(sig) + ":");
  CHECK(detect_signature_scheme(headers) == SignatureScheme::rfc9421);

  auto sigs = parse_message_signatures(headers);
  REQUIRE(sigs.has_value());
  REQUIRE(sigs->size() == 1);
  const auto& s = sigs->front();
  CHECK(s.label == "sig1");
  CHECK(s.key_id == "http://127.0.0.1:9000/users/fedi#main-key");
  CHECK(s.alg == "rsa-v1_5-sha256");
  CHECK(s.created == 1700000000);
  SignedRequestView view{"POST", "/users/council/inbox", headers, body};
  RequestOrigin origin{"http", "127.0.0.1:8080"};
  auto pub = read_vector("pub.pem");
  CHECK(build_signature_base(s, view, origin).value() == base);
  CHECK(verify_message_signature(s, view, origin, pub, kNow));

  SECTION("a one-byte body change fails") {
    std::string changed = body;
    changed.back() = ']';
    CHECK(verify_message_signature(
              s, SignedRequestView{"POST", "/users/council/inbox", headers, changed}, origin, pub,
              kNow)
              .error() == SignatureError::digest_mismatch);
  }
  SECTION("another origin fails") {
    CHECK(verify_message_signature(s, view, {"https", "127.0.0.1:8080"}, pub, kNow).error() ==
          SignatureError::bad_signature);
  }
  SECTION("created outside the window") {
    CHECK(verify_message_signature(s, view, origin, pub, kNow + 66min).error() ==
          SignatureError::date_too_old);
    CHECK(verify_message_signature(s, view, origin, pub, kNow - 61min).error() ==
          SignatureError::date_in_future);
  }
  SECTION("wrong key") {
    auto other = read_vector("pub.pem");
    other[40] = other[40] == 'A' ? 'B' : 'A';  // a corrupted key either fails to load or verify
    auto r = verify_message_signature(s, view, origin, other, kNow);
    REQUIRE_FALSE(r);
    CHECK(
        (r.error() == SignatureError::bad_signature || r.error() == SignatureError::key_mismatch));
  }
}

TEST_CASE("RFC 9421 rejection rules") {
  std::string body = "{}";
  HeaderList headers;
  const std::string priv = read_vector("priv.pem");
  MessageSignInput in{"POST", "/inbox", {"https", "town.example"}, body, "k", priv, kNow};
  REQUIRE(sign_message(in, headers));
  auto pub = read_vector("pub.pem");
  SignedRequestView view{"POST", "/inbox", headers, body};
  RequestOrigin origin{"https", "town.example"};
  auto sig = parse_message_signatures(headers).value().front();
  REQUIRE(verify_message_signature(sig, view, origin, pub, kNow));

  SECTION("unsupported alg") {
    auto s = sig;
    s.alg = "rsa-pss-sha512";
    CHECK(verify_message_signature(s, view, origin, pub, kNow).error() ==
          SignatureError::unsupported_algorithm);
  }
  SECTION("absent alg with an RSA key is rsa-v1_5-sha256") {
    auto s = sig;
    s.alg.clear();
    // The signed parameters still carry alg, so the base is unchanged and verifies.
    CHECK(verify_message_signature(s, view, origin, pub, kNow));
  }
  SECTION("missing created") {
    auto s = sig;
    s.created.reset();
    CHECK(verify_message_signature(s, view, origin, pub, kNow).error() ==
          SignatureError::malformed_header);
  }
  SECTION("content-digest not covered on POST, @target-uri not covered") {
    auto s = sig;
    s.components = {"@method", "@target-uri"};
    CHECK(verify_message_signature(s, view, origin, pub, kNow).error() ==
          SignatureError::header_not_covered);
    s.components = {"@method", "content-digest"};
    CHECK(verify_message_signature(s, view, origin, pub, kNow).error() ==
          SignatureError::header_not_covered);
  }
  SECTION("Content-Digest header missing") {
    headers.remove("content-digest");
    CHECK(verify_message_signature(sig, view, origin, pub, kNow).error() ==
          SignatureError::missing_header);
  }
  SECTION("expired") {
    auto s = sig;
    s.expires = std::chrono::duration_cast<std::chrono::seconds>(kNow.time_since_epoch()).count();
    CHECK(verify_message_signature(s, view, origin, pub, kNow + 61min).error() ==
          SignatureError::date_too_old);
  }
  SECTION("bad signature bytes") {
    auto s = sig;
    s.signature[0] ^= 1;
    CHECK(verify_message_signature(s, view, origin, pub, kNow).error() ==
          SignatureError::bad_signature);
  }
  SECTION("unusable key") {
    CHECK(verify_message_signature(sig, view, origin, "nope", kNow).error() ==
          SignatureError::key_mismatch);
  }
}

TEST_CASE("sign_message writes Fedify's header shape") {
  HeaderList headers;
  const std::string priv = read_vector("priv.pem");
  MessageSignInput in{"POST", "/inbox", {"http", "127.0.0.1:8080"}, "{}", "http://a/k", priv, kNow};
  REQUIRE(sign_message(in, headers));
  CHECK(headers.find("signature-input") ==
        R"(sig1=("@method" "@target-uri" "@authority" "host" "date" "content-digest");)"
        R"(alg="rsa-v1_5-sha256";keyid="http://a/k";created=1700000000)");
  CHECK(headers.find("signature")->starts_with("sig1=:"));
  CHECK(headers.find("host") == "127.0.0.1:8080");
  CHECK(detect_signature_scheme(headers) == SignatureScheme::rfc9421);
}
