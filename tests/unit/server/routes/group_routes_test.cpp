// The Group actor document and its collections (issue 12; INTEROP.md section 5): what Lemmy,
// PieFed, Mbin and NodeBB read from a group.
#include "tests/unit/server/routes/routes_fixtures.hpp"

#include "server/views/post_urls.hpp"
#include "storage/groups.hpp"

using namespace civicpub;
using namespace civicpub::server::routes::testing;

namespace {

struct GroupWorld : ReadWorld {
  storage::ActorRecord group = add_actor("wijkraad", "Group");
  storage::ActorRecord mod = add_actor("alice");

  GroupWorld() {
    write([&](storage::Connection& c) -> Result<int> {
      storage::groups::GroupSettings s;
      s.actor_id = group.id;
      s.posting_restricted_to_mods = true;
      s.created_at = s.updated_at = kNow;
      if (auto r = storage::groups::insert(c, s); !r) return r.error();
      if (auto r = storage::groups::add_moderator(c, group.id, mod.id, kNow); !r) return r.error();
      return 0;
    });
  }
};

bool context_defines(const rapidjson::Document& doc, const char* term) {
  for (const auto& v : doc["@context"].GetArray()) {
    if (v.IsObject() && v.HasMember(term)) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("group actor: type Group with moderators, featured, Lemmy's flags and the usual keys") {
  GroupWorld world;
  auto res = world.get("/users/wijkraad", kAs2Accept);
  REQUIRE(res.result() == bhttp::status::ok);
  auto doc = json_of(res);
  CHECK(str(doc, "type") == "Group");
  CHECK(str(doc, "preferredUsername") == "wijkraad");
  CHECK(str(doc, "inbox") == world.group.inbox);
  CHECK(str(doc, "outbox") == world.group.outbox);
  CHECK(str(doc, "followers") == world.group.followers);
  CHECK(str(doc, "attributedTo") == world.group.uri + "/moderators");
  CHECK(str(doc, "featured") == world.group.uri + "/featured");
  REQUIRE(doc.HasMember("postingRestrictedToMods"));
  CHECK(doc["postingRestrictedToMods"].GetBool());
  REQUIRE(doc.HasMember("sensitive"));
  CHECK_FALSE(doc["sensitive"].GetBool());
  CHECK(str(doc["publicKey"], "owner") == world.group.uri);
  CHECK_FALSE(str(doc["endpoints"], "sharedInbox").empty());
  // Every extension term is defined inline (INTEROP.md section 1).
  CHECK(context_defines(doc, "postingRestrictedToMods"));
  CHECK(context_defines(doc, "featured"));
  CHECK(context_defines(doc, "sensitive"));
}

TEST_CASE("group actor: the moderators collection lists the moderators, and featured is served") {
  GroupWorld world;
  auto mods = world.get("/users/wijkraad/moderators?page=1", kAs2Accept);
  REQUIRE(mods.result() == bhttp::status::ok);
  auto page = json_of(mods);
  REQUIRE(page["orderedItems"].IsArray());
  REQUIRE(page["orderedItems"].Size() == 1);
  CHECK(std::string(page["orderedItems"][0].GetString()) == world.mod.uri);
  auto whole = json_of(world.get("/users/wijkraad/moderators", kAs2Accept));
  CHECK(num(whole, "totalItems") == 1);
  auto featured = world.get("/users/wijkraad/featured", kAs2Accept);
  REQUIRE(featured.result() == bhttp::status::ok);
  CHECK(num(json_of(featured), "totalItems") == 0);
}

TEST_CASE("group actor: an account has no moderators or featured collection, and no group terms") {
  GroupWorld world;
  CHECK(world.get("/users/alice/moderators", kAs2Accept).result() == bhttp::status::not_found);
  CHECK(world.get("/users/alice/featured", kAs2Accept).result() == bhttp::status::not_found);
  auto doc = json_of(world.get("/users/alice", kAs2Accept));
  CHECK_FALSE(doc.HasMember("postingRestrictedToMods"));
  CHECK_FALSE(doc.HasMember("attributedTo"));
}

TEST_CASE("group actor: WebFinger finds a group like any account") {
  GroupWorld world;
  auto res = world.get("/.well-known/webfinger?resource=acct:wijkraad@" +
                       world.instance().effective_handle_domain());
  REQUIRE(res.result() == bhttp::status::ok);
  CHECK(contains(res.body(), world.group.uri));
}

TEST_CASE("group actor: a thread started in the group has its context served by the group") {
  GroupWorld world;
  // What PostService stores for `post --group`: the group owns the thread's context.
  storage::PostRecord root;
  root.ap_id = server::views::post_url(world.mod.uri, "100");
  root.url = server::views::post_page_url(world.mod.url, "100");
  root.author_id = world.mod.id;
  root.local = true;
  root.thread_root = root.ap_id;
  root.context = server::views::group_context_url(world.group.uri, root.ap_id);
  root.visibility = storage::Visibility::public_;
  root.content_html = "<p>Vergadering</p>";
  root.published = kNow;
  root = world.store(root);
  auto reply = world.add_reply(world.add_remote("b.example", "bob"), root, "101", kNow + 1);
  CHECK(reply.context == root.context);
  const auto path = root.context.substr(root.context.find("/users/"));
  auto whole = world.get(path, kAs2Accept);
  REQUIRE(whole.result() == bhttp::status::ok);
  auto doc = json_of(whole);
  CHECK(str(doc, "id") == root.context);
  CHECK(str(doc, "attributedTo") == world.group.uri);  // FEP-f228: the thread's owner
  CHECK(num(doc, "totalItems") == 2);
  auto page = json_of(world.get(path + "?page=1", kAs2Accept));
  REQUIRE(page["orderedItems"].Size() == 2);
  CHECK(std::string(page["orderedItems"][0].GetString()) == root.ap_id);
  CHECK(std::string(page["orderedItems"][1].GetString()) == reply.ap_id);

  CHECK(world.get("/users/wijkraad/context/00ff", kAs2Accept).result() ==
        bhttp::status::not_found);
  CHECK(world.get("/users/alice/context/" + path.substr(path.rfind('/') + 1), kAs2Accept)
            .result() == bhttp::status::not_found);
}
