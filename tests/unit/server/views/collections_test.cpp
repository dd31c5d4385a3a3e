// views::actor_collection, the read model of a local actor's followers, following and outbox,
// called directly on a stored world: what is counted and listed, in which order, page by page,
// and the refusals.
#include "server/views/collections.hpp"

#include "federation/as2/reader.hpp"
#include "server/views/error.hpp"
#include "server/views/post_urls.hpp"
#include "tests/unit/server/views/stored_world.hpp"

#include <string>
#include <vector>

using namespace civicpub;
using server::views::actor_collection;
using server::views::ActorCollection;
using server::views::kCollectionPageSize;
using server::views::ViewError;
using test::kReadNow;

namespace {

// mayor: followed by anna and bob (accepted, in that order) and carl (pending); follows anna and
// dora (accepted) and erik (pending).
struct FollowWorld {
  test::StoredWorld w;
  storage::ActorRecord mayor = w.add_actor("mayor");
  storage::ActorRecord anna = w.add_remote("remote.example", "anna");
  storage::ActorRecord bob = w.add_remote("other.example", "bob");
  storage::ActorRecord carl = w.add_remote("third.example", "carl");
  storage::ActorRecord dora = w.add_remote("third.example", "dora");
  storage::ActorRecord erik = w.add_remote("third.example", "erik");

  FollowWorld() {
    w.follow(anna, mayor);
    w.follow(bob, mayor);
    w.follow(carl, mayor, storage::FollowState::pending);
    w.follow(mayor, anna);
    w.follow(mayor, dora);
    w.follow(mayor, erik, storage::FollowState::pending);
  }
};

std::string str(const rapidjson::Value& v, const char* name) {
  REQUIRE(v.HasMember(name));
  REQUIRE(v[name].IsString());
  return v[name].GetString();
}

}  // namespace

TEST_CASE("actor collections: followers count and list accepted follows, newest first") {
  FollowWorld f;
  auto doc = actor_collection(f.w.db(), "mayor", ActorCollection::followers, std::nullopt);
  REQUIRE(doc);
  REQUIRE(doc->collection);
  CHECK_FALSE(doc->page);
  CHECK(doc->collection->id == f.mayor.followers);
  CHECK(doc->collection->total_items == 2);
  CHECK(doc->collection->page_size == kCollectionPageSize);
  CHECK(doc->collection->attributed_to.empty());

  auto page = actor_collection(f.w.db(), "mayor", ActorCollection::followers, 1);
  REQUIRE(page);
  REQUIRE(page->page);
  CHECK_FALSE(page->collection);
  CHECK(page->page->collection_id == f.mayor.followers);
  CHECK(page->page->page == 1);
  CHECK(page->page->total_items == 2);
  CHECK_FALSE(page->page->items_are_json);
  CHECK(page->page->items == std::vector<std::string>{f.bob.uri, f.anna.uri});
}

TEST_CASE("actor collections: following lists the accepted follows of the actor") {
  FollowWorld f;
  auto doc = actor_collection(f.w.db(), "mayor", ActorCollection::following, std::nullopt);
  REQUIRE(doc);
  REQUIRE(doc->collection);
  CHECK(doc->collection->id == f.mayor.following);
  CHECK(doc->collection->total_items == 2);
  auto page = actor_collection(f.w.db(), "mayor", ActorCollection::following, 1);
  REQUIRE(page);
  REQUIRE(page->page);
  CHECK(page->page->items == std::vector<std::string>{f.dora.uri, f.anna.uri});
}

TEST_CASE("actor collections: a deleted follower drops out of the count and the list") {
  FollowWorld f;
  f.w.delete_actor(f.bob);
  auto page = actor_collection(f.w.db(), "mayor", ActorCollection::followers, 1);
  REQUIRE(page);
  REQUIRE(page->page);
  CHECK(page->page->total_items == 1);
  CHECK(page->page->items == std::vector<std::string>{f.anna.uri});
}

TEST_CASE(
    "actor collections: the outbox holds Creates of public and unlisted posts, newest first") {
  test::StoredWorld w;
  auto mayor = w.add_actor("mayor");
  auto plan = w.add_post(mayor, "1", kReadNow - 3000);
  auto notice = w.add_post(mayor, "2", kReadNow - 2000, storage::Visibility::unlisted);
  w.add_post(mayor, "3", kReadNow - 1000, storage::Visibility::followers);
  w.add_post(mayor, "4", kReadNow - 500, storage::Visibility::direct);
  w.delete_post(w.add_post(mayor, "5", kReadNow - 100));

  auto doc = actor_collection(w.db(), "mayor", ActorCollection::outbox, std::nullopt);
  REQUIRE(doc);
  REQUIRE(doc->collection);
  CHECK(doc->collection->id == mayor.outbox);
  CHECK(doc->collection->total_items == 2);

  auto page = actor_collection(w.db(), "mayor", ActorCollection::outbox, 1);
  REQUIRE(page);
  REQUIRE(page->page);
  CHECK(page->page->items_are_json);
  REQUIRE(page->page->items.size() == 2);
  std::vector<std::string> objects;
  for (const auto& item : page->page->items) {
    auto activity = federation::as2::parse_json(item);
    REQUIRE(activity);
    CHECK(str(*activity, "type") == "Create");
    CHECK(str(*activity, "actor") == mayor.uri);
    REQUIRE((*activity)["object"].IsObject());
    const auto object_id = str((*activity)["object"], "id");
    CHECK(str(*activity, "id") == server::views::create_activity_id(object_id));
    objects.push_back(object_id);
  }
  CHECK(objects == std::vector<std::string>{notice.ap_id, plan.ap_id});
}

TEST_CASE("actor collections: pages of a long list, and a page past the end is empty") {
  test::StoredWorld w;
  auto mayor = w.add_actor("mayor");
  const std::uint64_t total = kCollectionPageSize + 3;
  for (std::uint64_t i = 0; i < total; ++i) {
    w.follow(w.add_remote("f" + std::to_string(i) + ".example", "p"), mayor);
  }
  auto first = actor_collection(w.db(), "mayor", ActorCollection::followers, 1);
  REQUIRE(first);
  REQUIRE(first->page);
  CHECK(first->page->total_items == total);
  REQUIRE(first->page->items.size() == kCollectionPageSize);
  CHECK(first->page->items.front() ==
        "https://f" + std::to_string(total - 1) + ".example/users/p");  // the newest follow

  auto second = actor_collection(w.db(), "mayor", ActorCollection::followers, 2);
  REQUIRE(second);
  REQUIRE(second->page);
  CHECK(second->page->page == 2);
  CHECK(second->page->items == std::vector<std::string>{"https://f2.example/users/p",
                                                        "https://f1.example/users/p",
                                                        "https://f0.example/users/p"});

  auto past = actor_collection(w.db(), "mayor", ActorCollection::followers, 3);
  REQUIRE(past);
  REQUIRE(past->page);
  CHECK(past->page->total_items == total);
  CHECK(past->page->items.empty());
}

TEST_CASE("actor collections: unknown accounts are not found, deleted ones gone") {
  test::StoredWorld w;
  auto mayor = w.add_actor("mayor");
  auto anna = w.add_remote("remote.example", "anna");
  for (auto which :
       {ActorCollection::followers, ActorCollection::following, ActorCollection::outbox}) {
    CHECK(actor_collection(w.db(), "nobody", which, std::nullopt).error() == ViewError::not_found);
    // A remote actor has no collections here, whatever its username.
    CHECK(actor_collection(w.db(), anna.username, which, 1).error() == ViewError::not_found);
  }
  w.delete_actor(mayor);
  CHECK(actor_collection(w.db(), "mayor", ActorCollection::followers, std::nullopt).error() ==
        ViewError::gone);
  CHECK(actor_collection(w.db(), "mayor", ActorCollection::outbox, 1).error() == ViewError::gone);
}
