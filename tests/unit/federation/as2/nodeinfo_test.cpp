// NodeInfo (federation/as2/nodeinfo): the discovery links and the 2.0 and 2.1 documents.
#include "federation/as2/nodeinfo.hpp"
#include "tests/unit/support/json.hpp"

#include <rapidjson/document.h>
#include <catch2/catch.hpp>

namespace as2 = civicpub::federation::as2;

using civicpub::test::parse;
using civicpub::test::str;

namespace {

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
