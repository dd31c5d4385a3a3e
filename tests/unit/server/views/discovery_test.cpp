// The read models behind WebFinger, NodeInfo and the front page (server/views/discovery), called
// directly on a stored world: which resources name which local account, what NodeInfo counts,
// and which accounts the front page lists.
#include "server/views/discovery.hpp"

#include "federation/as2/error.hpp"
#include "server/views/error.hpp"
#include "tests/unit/server/views/stored_world.hpp"

#include <string>
#include <vector>

using namespace civicpub;
using server::views::listed_accounts;
using server::views::node_usage;
using server::views::resolve_webfinger;
using server::views::ViewError;
using test::kDay;
using test::kReadNow;

namespace {

std::vector<std::string> usernames(const std::vector<storage::ActorRecord>& actors) {
  std::vector<std::string> out;
  for (const auto& a : actors) out.push_back(a.username);
  return out;
}

}  // namespace

TEST_CASE("discovery: WebFinger finds a local account by acct, id or profile URL") {
  test::StoredWorld w;
  auto mayor = w.add_actor("mayor");
  w.add_actor("parks");
  for (const std::string resource :
       {"acct:mayor@social.town.example", "mayor@social.town.example",
        "acct:Mayor@Social.Town.Example", "https://social.town.example/users/mayor",
        "https://social.town.example/@mayor", "acct%3Amayor%40social.town.example"}) {
    INFO(resource);
    auto found = resolve_webfinger(w.db(), w.instance(), resource);
    REQUIRE(found);
    CHECK(found->id == mayor.id);
    CHECK(found->uri == mayor.uri);
  }
}

TEST_CASE("discovery: with a handle domain, both it and the server's host answer") {
  test::StoredWorld w("town.example");
  auto mayor = w.add_actor("mayor");
  CHECK(mayor.domain == "town.example");
  CHECK(resolve_webfinger(w.db(), w.instance(), "acct:mayor@town.example").value().id == mayor.id);
  CHECK(resolve_webfinger(w.db(), w.instance(), "acct:mayor@social.town.example").value().id ==
        mayor.id);
  CHECK(resolve_webfinger(w.db(), w.instance(), "acct:mayor@elsewhere.example").error() ==
        ViewError::not_found);
}

TEST_CASE("discovery: WebFinger refuses what is not a local account here") {
  test::StoredWorld w;
  auto mayor = w.add_actor("mayor");
  auto anna = w.add_remote("remote.example", "anna");
  CHECK(resolve_webfinger(w.db(), w.instance(), "acct:nobody@social.town.example").error() ==
        ViewError::not_found);
  CHECK(resolve_webfinger(w.db(), w.instance(), "acct:mayor@remote.example").error() ==
        ViewError::not_found);
  // A remote actor stored here is not ours to describe, by id or by a local-looking acct.
  CHECK(resolve_webfinger(w.db(), w.instance(), anna.uri).error() == ViewError::not_found);
  CHECK(resolve_webfinger(w.db(), w.instance(), "acct:anna@social.town.example").error() ==
        ViewError::not_found);
  CHECK(resolve_webfinger(w.db(), w.instance(), "https://social.town.example/@mayor/1").error() ==
        ViewError::not_found);
  CHECK(resolve_webfinger(w.db(), w.instance(), "mayor").error() ==
        federation::as2::DocumentError::bad_resource);
  w.delete_actor(mayor);
  CHECK(resolve_webfinger(w.db(), w.instance(), "acct:mayor@social.town.example").error() ==
        ViewError::gone);
}

TEST_CASE("discovery: NodeInfo counts local accounts and posts, active by their last post") {
  test::StoredWorld w;
  auto instance = w.add_actor("instance", "Application");  // the instance actor: not a user
  REQUIRE(instance.uri == w.instance().instance_actor_id);
  auto recent = w.add_actor("recent");
  auto older = w.add_actor("older");
  auto quiet = w.add_actor("quiet");
  auto gone = w.add_actor("gone");
  auto anna = w.add_remote("remote.example", "anna");
  w.add_post(instance, "i", kReadNow - kDay);
  w.add_post(recent, "1", kReadNow - 29 * kDay);
  w.add_post(recent, "2", kReadNow - 200 * kDay);
  w.add_post(older, "3", kReadNow - 100 * kDay);
  w.delete_post(w.add_post(older, "4", kReadNow - 300 * kDay));
  w.add_reply(anna, w.add_post(quiet, "5", kReadNow - 400 * kDay), "r", kReadNow - kDay);
  w.delete_actor(gone);

  auto usage = node_usage(w.db(), w.instance(), kReadNow);
  REQUIRE(usage);
  CHECK(usage->users_total == 3);      // recent, older, quiet
  CHECK(usage->active_month == 1);     // recent
  CHECK(usage->active_halfyear == 2);  // recent, older
  CHECK(usage->local_posts == 5);      // i, 1, 2, 3, 5: not the deleted one, not anna's reply
}

TEST_CASE("discovery: the front page lists discoverable accounts, oldest first, up to a limit") {
  test::StoredWorld w;
  w.add_actor("instance", "Application");
  w.add_actor("mayor");
  auto hidden = w.add_actor("hidden");
  w.write([&](storage::Connection& c) {
    hidden.discoverable = false;
    return storage::actors::update_local_profile(c, hidden);
  });
  w.add_actor("parks", "Organization");
  w.delete_actor(w.add_actor("closed"));
  w.add_actor("library", "Organization");
  w.add_remote("remote.example", "anna");

  auto all = listed_accounts(w.db(), w.instance(), 10);
  REQUIRE(all);
  CHECK(usernames(*all) == std::vector<std::string>{"mayor", "parks", "library"});
  auto two = listed_accounts(w.db(), w.instance(), 2);
  REQUIRE(two);
  CHECK(usernames(*two) == std::vector<std::string>{"mayor", "parks"});
  CHECK(listed_accounts(w.db(), w.instance(), 0).value().empty());
}
