#include "federation/convert/actor.hpp"
#include "federation/as2/activities.hpp"
#include "federation/as2/actor.hpp"
#include "tests/unit/support/json.hpp"

#include <rapidjson/document.h>
#include <catch2/catch.hpp>

#include <string>

namespace as2 = civicpub::federation::as2;
namespace convert = civicpub::federation::convert;
using civicpub::storage::ActorRecord;

using civicpub::test::parse;
using civicpub::test::str;

namespace {

as2::InstanceInfo town() {
  as2::InstanceInfo info;
  info.base_url = "https://social.town.example";
  info.host = "social.town.example";
  info.handle_domain = "town.example";
  info.instance_actor_id = "https://social.town.example/actor";
  return info;
}

ActorRecord council() {
  ActorRecord a;
  a.uri = "https://social.town.example/users/council";
  a.local = true;
  a.type = "Organization";
  a.username = "council";
  a.domain = "town.example";
  a.display_name = "Town Council";
  a.summary_html = "<p>Official</p>";
  a.inbox = a.uri + "/inbox";
  a.outbox = a.uri + "/outbox";
  a.followers = a.uri + "/followers";
  a.following = a.uri + "/following";
  a.url = "https://social.town.example/@council";
  a.key_id = a.uri + "#main-key";
  a.public_key_pem = "-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----\n";
  a.created_at = 1'700'000'000'123;
  return a;
}

}  // namespace

TEST_CASE("actor document carries the published context URLs and inline extension terms") {
  const auto doc = parse(convert::render_actor(council(), town()));
  const auto& ctx = doc["@context"];
  REQUIRE(ctx.IsArray());
  REQUIRE(ctx.Size() == 5);
  CHECK(str(ctx[0]) == "https://www.w3.org/ns/activitystreams");
  CHECK(str(ctx[1]) == "https://w3id.org/security/v1");
  // assertionMethod (did/v1) and Multikey, controller, publicKeyMultibase (multikey/v1), as
  // Fedify's own actors list them.
  CHECK(str(ctx[2]) == "https://www.w3.org/ns/did/v1");
  CHECK(str(ctx[3]) == "https://w3id.org/security/multikey/v1");
  const auto& terms = ctx[4];
  CHECK(str(terms["manuallyApprovesFollowers"]) == "as:manuallyApprovesFollowers");
  CHECK(str(terms["toot"]) == "http://joinmastodon.org/ns#");
  CHECK(str(terms["discoverable"]) == "toot:discoverable");
  CHECK(str(terms["indexable"]) == "toot:indexable");
  CHECK(str(terms["PropertyValue"]) == "schema:PropertyValue");
  // No context value anywhere is a URL other than the published documents.
  for (const auto& m : terms.GetObject()) {
    const auto v = str(m.value);
    CHECK((v.rfind("http", 0) != 0 || v == "http://joinmastodon.org/ns#" ||
           v == "http://schema.org#"));
  }
}

TEST_CASE("actor document has the fields Mastodon and Fedify need") {
  const auto a = council();
  const auto doc = parse(convert::render_actor(a, town()));
  CHECK(str(doc["id"]) == a.uri);
  CHECK(str(doc["type"]) == "Organization");
  CHECK(str(doc["preferredUsername"]) == "council");
  CHECK(str(doc["name"]) == "Town Council");
  CHECK(str(doc["summary"]) == "<p>Official</p>");
  CHECK(str(doc["inbox"]) == a.inbox);
  CHECK(str(doc["outbox"]) == a.outbox);
  CHECK(str(doc["followers"]) == a.followers);
  CHECK(str(doc["following"]) == a.following);
  CHECK(str(doc["endpoints"]["sharedInbox"]) == "https://social.town.example/inbox");
  CHECK(str(doc["url"]) == a.url);
  CHECK(str(doc["publicKey"]["id"]) == a.uri + "#main-key");
  CHECK(str(doc["publicKey"]["owner"]) == a.uri);
  CHECK(str(doc["publicKey"]["publicKeyPem"]) == a.public_key_pem);
  CHECK(str(doc["published"]) == "2023-11-14T22:13:20.123Z");
  CHECK(doc["manuallyApprovesFollowers"].GetBool() == false);
  CHECK(doc["discoverable"].GetBool() == true);
  CHECK(doc["indexable"].GetBool() == true);
  CHECK_FALSE(doc.HasMember("icon"));
  CHECK_FALSE(doc.HasMember("attachment"));
  CHECK_FALSE(doc.HasMember("assertionMethod"));  // no Ed25519 key given
}

TEST_CASE("actor document publishes its Ed25519 key as a FEP-521a Multikey") {
  const auto a = council();
  as2::ActorExtras extras;
  extras.assertion_key = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";
  const auto doc = parse(convert::render_actor(a, town(), extras));
  const auto& methods = doc["assertionMethod"];
  REQUIRE(methods.IsArray());
  REQUIRE(methods.Size() == 1);
  const auto& key = methods[0];
  CHECK(str(key["id"]) == a.uri + "#ed25519-key");
  CHECK(str(key["type"]) == "Multikey");
  CHECK(str(key["controller"]) == a.uri);
  CHECK(str(key["publicKeyMultibase"]) == extras.assertion_key);
  // The RSA key for HTTP signatures stays as it was.
  CHECK(str(doc["publicKey"]["id"]) == a.uri + "#main-key");
}

TEST_CASE("actor icon and profile fields appear only when present") {
  as2::ActorExtras extras;
  extras.icon = as2::ImageRef{"https://social.town.example/media/crest.png", "image/png"};
  extras.fields.push_back({"Website", "<a href=\"https://town.example\">town.example</a>"});
  extras.indexable = false;
  const auto doc = parse(convert::render_actor(council(), town(), extras));
  CHECK(str(doc["icon"]["type"]) == "Image");
  CHECK(str(doc["icon"]["url"]) == "https://social.town.example/media/crest.png");
  CHECK(str(doc["icon"]["mediaType"]) == "image/png");
  REQUIRE(doc["attachment"].Size() == 1);
  CHECK(str(doc["attachment"][0]["type"]) == "PropertyValue");
  CHECK(str(doc["attachment"][0]["name"]) == "Website");
  CHECK(doc["indexable"].GetBool() == false);
}

TEST_CASE("actor types: instance actor is Application, unknown types fall back to Person") {
  auto a = council();
  a.uri = "https://social.town.example/actor";
  a.type = "Person";
  CHECK(str(parse(convert::render_actor(a, town()))["type"]) == "Application");
  a = council();
  for (const char* t : {"Person", "Organization", "Service", "Application", "Group"}) {
    a.type = t;
    CHECK(str(parse(convert::render_actor(a, town()))["type"]) == t);
  }
  a.type = "Robot";
  CHECK(str(parse(convert::render_actor(a, town()))["type"]) == "Person");
}

TEST_CASE("a record's own shared inbox wins over the instance default") {
  auto a = council();
  a.shared_inbox = "https://social.town.example/other-inbox";
  CHECK(str(parse(convert::render_actor(a, town()))["endpoints"]["sharedInbox"]) == a.shared_inbox);
}

TEST_CASE("Update(actor) embeds the actor without a nested context") {
  const auto a = council();
  const auto doc = parse(convert::render_update_actor(a.uri + "#updates/1", a, town()));
  CHECK(doc["@context"].IsArray());
  CHECK(str(doc["type"]) == "Update");
  CHECK(str(doc["actor"]) == a.uri);
  CHECK(str(doc["to"][0]) == "https://www.w3.org/ns/activitystreams#Public");
  CHECK(str(doc["object"]["id"]) == a.uri);
  CHECK(str(doc["object"]["publicKey"]["publicKeyPem"]) == a.public_key_pem);
  CHECK_FALSE(doc["object"].HasMember("@context"));
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
  CHECK(str(parse(convert::render_jrd(a, no_handle))["subject"]) ==
        "acct:council@social.town.example");
}
