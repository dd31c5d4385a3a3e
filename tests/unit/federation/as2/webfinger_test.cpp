#include "federation/as2/webfinger.hpp"
#include "federation/as2/error.hpp"

#include <rapidjson/document.h>
#include <catch2/catch.hpp>

namespace as2 = civicpub::federation::as2;
using Kind = as2::WebfingerQuery::Kind;

namespace {

as2::InstanceInfo town() {
  as2::InstanceInfo info;
  info.base_url = "https://social.town.example";
  info.host = "social.town.example";
  return info;
}

}  // namespace

TEST_CASE("webfinger resource: acct form, with and without port") {
  auto q = as2::parse_webfinger_resource("acct:council@town.example");
  REQUIRE(q.has_value());
  CHECK(q->kind == Kind::acct);
  CHECK(q->username == "council");
  CHECK(q->domain == "town.example");

  q = as2::parse_webfinger_resource("acct:alice@127.0.0.1:8081");
  REQUIRE(q.has_value());
  CHECK(q->username == "alice");
  CHECK(q->domain == "127.0.0.1:8081");

  q = as2::parse_webfinger_resource("acct:bob@[::1]:8081");
  REQUIRE(q.has_value());
  CHECK(q->domain == "[::1]:8081");

  q = as2::parse_webfinger_resource("Alice@Town.Example");  // scheme omitted; domain lowercased
  REQUIRE(q.has_value());
  CHECK(q->username == "Alice");
  CHECK(q->domain == "town.example");
}

TEST_CASE("webfinger resource: percent-encoded forms are decoded") {
  auto q = as2::parse_webfinger_resource("acct%3Aalice%40127.0.0.1%3A8081");
  REQUIRE(q.has_value());
  CHECK(q->kind == Kind::acct);
  CHECK(q->username == "alice");
  CHECK(q->domain == "127.0.0.1:8081");

  q = as2::parse_webfinger_resource("https%3A%2F%2Fsocial.town.example%2Fusers%2Fcouncil");
  REQUIRE(q.has_value());
  CHECK(q->kind == Kind::url);
  CHECK(q->url == "https://social.town.example/users/council");
}

TEST_CASE("webfinger resource: actor URL form") {
  auto q = as2::parse_webfinger_resource("https://social.town.example/users/council");
  REQUIRE(q.has_value());
  CHECK(q->kind == Kind::url);
  CHECK(q->domain == "social.town.example");
  CHECK(q->url == "https://social.town.example/users/council");
  q = as2::parse_webfinger_resource("http://127.0.0.1:8081/users/alice");
  REQUIRE(q.has_value());
  CHECK(q->domain == "127.0.0.1:8081");
}

TEST_CASE("webfinger resource: malformed values are invalid input") {
  for (const char* bad :
       {"", "acct:", "acct:alice", "acct:@town.example", "acct:alice@", "alice@town..example@x",
        "acct:al ice@town.example", "acct:alice@town.example:", "acct:alice@town.example:80a",
        "acct:alice@-town.example", "acct:alice@[::1", "ftp://town.example/users/a", "https://",
        "acct:alice%4", "acct:alice%zz@town.example", "acct:alice%0A@town.example",
        "mailto:alice@town.example"}) {
    INFO(bad);
    auto q = as2::parse_webfinger_resource(bad);
    REQUIRE_FALSE(q.has_value());
    CHECK(q.error() == as2::DocumentError::bad_resource);
    CHECK(civicpub::kind_of(q.error()) == civicpub::ErrorKind::invalid_input);
  }
  CHECK_FALSE(as2::parse_webfinger_resource("acct:a@" + std::string(3000, 'b')).has_value());
}

TEST_CASE("host-meta points lrdd at our WebFinger endpoint") {
  const auto xml = as2::render_host_meta(town());
  CHECK(xml.find("<XRD xmlns=\"http://docs.oasis-open.org/ns/xri/xrd-1.0\">") != std::string::npos);
  CHECK(xml.find("rel=\"lrdd\" template=\"https://social.town.example/.well-known/"
                 "webfinger?resource={uri}\"") != std::string::npos);
}
