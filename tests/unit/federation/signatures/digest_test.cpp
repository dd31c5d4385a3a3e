#include "federation/signatures/digest.hpp"
#include "federation/signatures/header_list.hpp"
#include "federation/signatures/structured_fields.hpp"

#include <catch2/catch.hpp>

using namespace civicpub::federation::signatures;

TEST_CASE("Digest header for the Appendix C body") {
  CHECK(make_digest_header(R"({"hello": "world"})") ==
        "SHA-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=");
}

TEST_CASE("check_digest_header: token case, several digests, mismatches") {
  std::string body = R"({"hello": "world"})";
  std::string b64 = "X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=";
  CHECK(check_digest_header("SHA-256=" + b64, body));
  CHECK(check_digest_header("sha-256=" + b64, body));
  CHECK(check_digest_header("MD5=abc, Sha-256=" + b64, body));
  CHECK(check_digest_header("SHA-512=xyz,SHA-256=" + b64 + " ", body));
  for (std::string bad : {"SHA-256=" + b64 + "x", "SHA-512=" + b64, std::string("SHA-256="),
                          std::string("SHA-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPA="),
                          std::string(""), "SHA-256=" + b64 + ",SHA-256=" + b64}) {
    INFO(bad);
    CHECK(check_digest_header(bad, body).error() == SignatureError::digest_mismatch);
  }
  CHECK(check_digest_header("SHA-256=" + b64, body + " ").error() ==
        SignatureError::digest_mismatch);
}

TEST_CASE("Content-Digest make and check") {
  std::string body = R"({"hello": "world"})";
  auto value = make_content_digest_header(body);
  CHECK(value == "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:");
  CHECK(check_content_digest_header(value, body));
  CHECK(check_content_digest_header("sha-512=:AAAA:, " + value, body));
  CHECK_FALSE(check_content_digest_header(value, body + "x"));
  CHECK_FALSE(check_content_digest_header("sha-512=:AAAA:", body));
  CHECK_FALSE(
      check_content_digest_header("SHA-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:", body));
  CHECK_FALSE(
      check_content_digest_header("sha-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=", body));
}

TEST_CASE("HeaderList lookup is case-insensitive and joins repeats") {
  HeaderList h{{"Accept", "a"}, {"X-Y", "1"}};
  h.add("accept", "b");
  CHECK(h.find("ACCEPT") == "a, b");
  CHECK(h.contains("x-y"));
  CHECK_FALSE(h.find("date"));
  h.set("ACCEPT", "c");
  CHECK(h.find("accept") == "c");
  h.remove("x-Y");
  CHECK_FALSE(h.contains("x-y"));
}

TEST_CASE("structured fields: parse and serialize") {
  auto d = sf::parse_dictionary(R"(a=(1 "x" tok :Zm9v: ?0);p=1.5;q, b, c=?1;r="s\"t")");
  REQUIRE(d.has_value());
  REQUIRE(d->size() == 3);
  const auto& list = std::get<sf::InnerList>((*d)[0].second);
  CHECK(sf::serialize(list) == R"((1 "x" tok :Zm9v: ?0);p=1.5;q)");
  CHECK(std::get<bool>(std::get<sf::Item>((*d)[1].second).value));
  CHECK(sf::serialize(std::get<sf::Item>((*d)[2].second).params) == R"(;r="s\"t")");
  for (const char* bad : {"a=(1", "A=1", "a=1,", "a=\"x", "a=:not b64!:", "a=1 b=2", "a=1.2345"}) {
    INFO(bad);
    CHECK_FALSE(sf::parse_dictionary(bad).has_value());
  }
}
