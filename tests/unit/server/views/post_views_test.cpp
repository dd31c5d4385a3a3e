// The read models behind GET on a local post and its collections (server/views/post_views),
// called directly on a stored world: what a stranger may see of a post, and what its replies,
// context, likes and shares collections count and list.
#include "server/views/post_views.hpp"

#include "server/views/error.hpp"
#include "server/views/post_urls.hpp"
#include "storage/post_details.hpp"
#include "tests/unit/server/views/stored_world.hpp"

#include <string>
#include <vector>

using namespace civicpub;
using server::views::find_public_post;
using server::views::post_collection;
using server::views::PostCollection;
using server::views::ViewError;
using test::kReadNow;

namespace {

// mayor/1 is a thread root (context <post>/context); below it, oldest first:
//   anna a (public), mayor 2 (unlisted), bob b (followers-only), anna c (public, deleted),
//   and bob d, a reply to anna a (public).
struct Thread {
  test::StoredWorld w;
  storage::ActorRecord mayor = w.add_actor("mayor");
  storage::ActorRecord anna = w.add_remote("remote.example", "anna");
  storage::ActorRecord bob = w.add_remote("other.example", "bob");
  storage::PostRecord root = w.add_root(mayor, "1", kReadNow);
  storage::PostRecord a = w.add_reply(anna, root, "a", kReadNow + 1000);
  storage::PostRecord own =
      w.add_reply(mayor, root, "2", kReadNow + 2000, storage::Visibility::unlisted);
  storage::PostRecord hidden =
      w.add_reply(bob, root, "b", kReadNow + 3000, storage::Visibility::followers);
  storage::PostRecord removed = w.add_reply(anna, root, "c", kReadNow + 4000);
  storage::PostRecord deep = w.add_reply(bob, a, "d", kReadNow + 5000);

  Thread() { w.delete_post(removed); }
};

}  // namespace

TEST_CASE("post views: a public or unlisted local post comes with its author and tags") {
  test::StoredWorld w;
  auto mayor = w.add_actor("mayor");
  auto plan = w.add_post(mayor, "7", kReadNow);
  w.add_post(mayor, "8", kReadNow, storage::Visibility::unlisted);
  w.write([&](storage::Connection& c) -> Result<void> {
    auto mentioned = storage::post_details::replace_mentions(
        c, plan.id, {{"https://remote.example/users/anna", "@anna@remote.example"}});
    if (!mentioned) return mentioned;
    return storage::post_details::replace_hashtags(
        c, plan.id, {{"markt", "https://social.town.example/tags/markt"}});
  });

  auto found = find_public_post(w.db(), "mayor", "7");
  REQUIRE(found);
  CHECK(found->post.id == plan.id);
  CHECK(found->post.ap_id == plan.ap_id);
  CHECK_FALSE(found->post.deleted_at);
  CHECK(found->author.id == mayor.id);
  REQUIRE(found->details.mentions.size() == 1);
  CHECK(found->details.mentions[0].actor_uri == "https://remote.example/users/anna");
  REQUIRE(found->details.hashtags.size() == 1);
  CHECK(found->details.hashtags[0].name == "markt");

  auto unlisted = find_public_post(w.db(), "mayor", "8");
  REQUIRE(unlisted);
  CHECK(unlisted->post.visibility == storage::Visibility::unlisted);
  CHECK(unlisted->details.mentions.empty());
}

TEST_CASE("post views: what a stranger may not see is not found, like what does not exist") {
  test::StoredWorld w;
  auto mayor = w.add_actor("mayor");
  auto parks = w.add_actor("parks");
  auto anna = w.add_remote("remote.example", "anna");
  w.add_post(mayor, "1", kReadNow, storage::Visibility::followers);
  w.add_post(mayor, "2", kReadNow, storage::Visibility::direct);
  w.add_post(parks, "3", kReadNow);
  w.add_reply(anna, w.add_post(mayor, "4", kReadNow), "5", kReadNow + 1);

  CHECK(find_public_post(w.db(), "mayor", "1").error() == ViewError::not_found);
  CHECK(find_public_post(w.db(), "mayor", "2").error() == ViewError::not_found);
  CHECK(find_public_post(w.db(), "mayor", "3").error() == ViewError::not_found);  // parks' post
  CHECK(find_public_post(w.db(), "parks", "3"));
  CHECK(find_public_post(w.db(), "mayor", "99").error() == ViewError::not_found);
  CHECK(find_public_post(w.db(), "nobody", "4").error() == ViewError::not_found);
  CHECK(find_public_post(w.db(), "mayor", "../4").error() == ViewError::not_found);
  CHECK(find_public_post(w.db(), "anna", "5").error() == ViewError::not_found);  // not local
}

TEST_CASE("post views: a deleted post, or any post of a deleted account, comes back deleted") {
  test::StoredWorld w;
  auto mayor = w.add_actor("mayor");
  auto parks = w.add_actor("parks");
  auto gone = w.add_post(mayor, "1", kReadNow);
  w.now = kReadNow + 5000;
  w.delete_post(gone);
  auto deleted = find_public_post(w.db(), "mayor", "1");
  REQUIRE(deleted);
  CHECK(deleted->post.deleted_at == kReadNow + 5000);

  w.add_post(parks, "2", kReadNow);
  w.now = kReadNow + 9000;
  w.delete_actor(parks);
  auto orphan = find_public_post(w.db(), "parks", "2");
  REQUIRE(orphan);
  CHECK(orphan->post.deleted_at == kReadNow + 9000);
}

TEST_CASE("post views: replies lists the visible direct replies, oldest first") {
  Thread t;
  auto doc = post_collection(t.w.db(), "mayor", "1", PostCollection::replies, std::nullopt);
  REQUIRE(doc);
  REQUIRE(doc->collection);
  CHECK_FALSE(doc->page);
  CHECK_FALSE(doc->counted);
  CHECK(doc->collection->id == server::views::replies_url(t.root.ap_id));
  CHECK(doc->collection->total_items == 2);  // a and 2; not b (followers), c (deleted) or d
  CHECK(doc->collection->attributed_to.empty());

  auto page = post_collection(t.w.db(), "mayor", "1", PostCollection::replies, 1);
  REQUIRE(page);
  REQUIRE(page->page);
  CHECK(page->page->collection_id == server::views::replies_url(t.root.ap_id));
  CHECK(page->page->total_items == 2);
  CHECK_FALSE(page->page->items_are_json);
  CHECK(page->page->items == std::vector<std::string>{t.a.ap_id, t.own.ap_id});

  auto past = post_collection(t.w.db(), "mayor", "1", PostCollection::replies, 2);
  REQUIRE(past);
  REQUIRE(past->page);
  CHECK(past->page->items.empty());

  // The mayor's own reply is a local post with a (still empty) replies collection.
  auto of_reply = post_collection(t.w.db(), "mayor", "2", PostCollection::replies, 1);
  REQUIRE(of_reply);
  REQUIRE(of_reply->page);
  CHECK(of_reply->page->items.empty());
}

TEST_CASE("post views: a thread root's context is the whole visible conversation") {
  Thread t;
  auto doc = post_collection(t.w.db(), "mayor", "1", PostCollection::context, std::nullopt);
  REQUIRE(doc);
  REQUIRE(doc->collection);
  CHECK(doc->collection->id == server::views::context_url(t.root.ap_id));
  CHECK(doc->collection->attributed_to == t.mayor.uri);
  CHECK(doc->collection->total_items == 4);  // 1, a, 2, d

  auto page = post_collection(t.w.db(), "mayor", "1", PostCollection::context, 1);
  REQUIRE(page);
  REQUIRE(page->page);
  CHECK(page->page->items ==
        std::vector<std::string>{t.root.ap_id, t.a.ap_id, t.own.ap_id, t.deep.ap_id});

  // A reply serves no context of its own, and neither does a post without one.
  CHECK(post_collection(t.w.db(), "mayor", "2", PostCollection::context, std::nullopt).error() ==
        ViewError::not_found);
  t.w.add_post(t.mayor, "3", kReadNow);
  CHECK(post_collection(t.w.db(), "mayor", "3", PostCollection::context, 1).error() ==
        ViewError::not_found);
}

TEST_CASE("post views: likes and shares are counts without pages") {
  Thread t;
  t.w.react(t.anna, t.root, storage::ReactionKind::like);
  t.w.react(t.bob, t.root, storage::ReactionKind::like);
  t.w.react(t.anna, t.root, storage::ReactionKind::announce);
  t.w.react(t.bob, t.own, storage::ReactionKind::like);

  auto likes = post_collection(t.w.db(), "mayor", "1", PostCollection::likes, std::nullopt);
  REQUIRE(likes);
  REQUIRE(likes->counted);
  CHECK_FALSE(likes->collection);
  CHECK(likes->counted->id == server::views::likes_url(t.root.ap_id));
  CHECK(likes->counted->total_items == 2);
  auto shares = post_collection(t.w.db(), "mayor", "1", PostCollection::shares, std::nullopt);
  REQUIRE(shares);
  REQUIRE(shares->counted);
  CHECK(shares->counted->id == server::views::shares_url(t.root.ap_id));
  CHECK(shares->counted->total_items == 1);

  CHECK(post_collection(t.w.db(), "mayor", "1", PostCollection::likes, 1).error() ==
        ViewError::not_found);
  CHECK(post_collection(t.w.db(), "mayor", "1", PostCollection::shares, 1).error() ==
        ViewError::not_found);
}

TEST_CASE("post views: the collections of a hidden post are not found, of a deleted one gone") {
  Thread t;
  t.w.add_post(t.mayor, "5", kReadNow, storage::Visibility::followers);
  auto gone = t.w.add_root(t.mayor, "6", kReadNow);
  t.w.delete_post(gone);
  for (auto which : {PostCollection::replies, PostCollection::context, PostCollection::likes,
                     PostCollection::shares}) {
    CHECK(post_collection(t.w.db(), "mayor", "5", which, std::nullopt).error() ==
          ViewError::not_found);
    CHECK(post_collection(t.w.db(), "mayor", "6", which, std::nullopt).error() == ViewError::gone);
    CHECK(post_collection(t.w.db(), "nobody", "1", which, std::nullopt).error() ==
          ViewError::not_found);
  }
}
