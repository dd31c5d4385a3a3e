#include "federation/as2/error.hpp"
#include "federation/convert/actor.hpp"
#include "federation/as2/nodeinfo.hpp"
#include "federation/as2/webfinger.hpp"

#include <rapidjson/document.h>
#include <catch2/catch.hpp>

namespace as2 = civicpub::federation::as2;
namespace convert = civicpub::federation::convert;
using Kind = as2::WebfingerQuery::Kind;

namespace {

rapidjson::Document parse(const std::string& json) {
  rapidjson::Document doc;
  doc.Parse(json.c_str());
  REQUIRE_FALSE(doc.HasParseError());
  return doc;
}

std::string str(const rapidjson::Value& v) {
  return {v.GetString(), v.GetStringLength()};
}

as2::InstanceInfo town() {
  as2::InstanceInfo info;
  info.base_url = "https://social.town.example";
  info.host = "social.town.example";
  info.handle_domain = "town.example";
  info.name = "Town";
  info.description = "Our town";
  info.software_version = "0.1.0";
  info.open_registrations = true;
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

TEST_CASE("JRD has subject on the handle domain, aliases and both links") {
  civicpub::storage::ActorRecord a;
  a.uri = "https://social.town.example/users/council";
  a.username = "council";
  a.url = "https://social.town.example/@council";
  const auto doc = parse(convert::render_jrd(a, town()));
  CHECK(str(doc["subject"]) == "acct:council@town.example");
  REQUIRE(doc["aliases"].Size() == 2);
  CHECK(str(doc["aliases"][0]) == a.uri);
  CHECK(str(doc["aliases"][1]) == a.url);
  REQUIRE(doc["links"].Size() == 2);
  CHECK(str(doc["links"][0]["rel"]) == "self");
  CHECK(str(doc["links"][0]["type"]) == "application/activity+json");
  CHECK(str(doc["links"][0]["href"]) == a.uri);
  CHECK(str(doc["links"][1]["rel"]) == "http://webfinger.net/rel/profile-page");
  CHECK(str(doc["links"][1]["type"]) == "text/html");
  CHECK(str(doc["links"][1]["href"]) == a.url);

  auto no_handle = town();
  no_handle.handle_domain.clear();
  CHECK(str(parse(convert::render_jrd(a, no_handle))["subject"]) == "acct:council@social.town.example");
}

TEST_CASE("host-meta points lrdd at our WebFinger endpoint") {
  const auto xml = as2::render_host_meta(town());
  CHECK(xml.find("<XRD xmlns=\"http://docs.oasis-open.org/ns/xri/xrd-1.0\">") != std::string::npos);
  CHECK(xml.find("rel=\"lrdd\" template=\"https://social.town.example/.well-known/"
                 "webfinger?resource={uri}\"") != std::string::npos);
}

TEST_CASE("nodeinfo links name both schema versions") {
  const auto doc = parse(as2::render_nodeinfo_links(town()));
  REQUIRE(doc["links"].Size() == 2);
  CHECK(str(doc["links"][0]["rel"]) == "http://nodeinfo.diaspora.software/ns/schema/2.0");
  CHECK(str(doc["links"][0]["href"]) == "https://social.town.example/nodeinfo/2.0");
  CHECK(str(doc["links"][1]["rel"]) == "http://nodeinfo.diaspora.software/ns/schema/2.1");
  CHECK(str(doc["links"][1]["href"]) == "https://social.town.example/nodeinfo/2.1");
}

TEST_CASE("nodeinfo documents carry software, protocols, usage counts and metadata") {
  const as2::NodeUsage usage{42, 7, 19, 1234};
  auto info = town();
  info.software_repository = "https://git.town.example/civicpub";
  for (auto version : {as2::NodeInfoVersion::v2_0, as2::NodeInfoVersion::v2_1}) {
    const bool v21 = version == as2::NodeInfoVersion::v2_1;
    const auto doc = parse(as2::render_nodeinfo(version, info, usage));
    CHECK(str(doc["version"]) == (v21 ? "2.1" : "2.0"));
    CHECK(str(doc["software"]["name"]) == "civicpub");
    CHECK(str(doc["software"]["version"]) == "0.1.0");
    CHECK(doc["software"].HasMember("repository") == v21);
    CHECK_FALSE(doc["software"].HasMember("homepage"));  // empty setting: omitted
    REQUIRE(doc["protocols"].Size() == 1);
    CHECK(str(doc["protocols"][0]) == "activitypub");
    CHECK(doc["services"]["inbound"].Size() == 0);
    CHECK(doc["services"]["outbound"].Size() == 0);
    CHECK(doc["usage"]["users"]["total"].GetUint64() == 42);
    CHECK(doc["usage"]["users"]["activeMonth"].GetUint64() == 7);
    CHECK(doc["usage"]["users"]["activeHalfyear"].GetUint64() == 19);
    CHECK(doc["usage"]["localPosts"].GetUint64() == 1234);
    CHECK(doc["openRegistrations"].GetBool());
    CHECK(str(doc["metadata"]["nodeName"]) == "Town");
    CHECK(str(doc["metadata"]["nodeDescription"]) == "Our town");
  }
  CHECK(as2::nodeinfo_content_type(as2::NodeInfoVersion::v2_0) ==
        "application/json; profile=\"http://nodeinfo.diaspora.software/ns/schema/2.0#\"");
}
