// The inbox door with `civicpub domain block` rules and suspended actors: refused with 403
// before any key is fetched, by the key id or by the activity's actor.
#include "tests/unit/support/inbox_fixtures.hpp"
#include "tests/unit/support/post_fixtures.hpp"

#include "federation/federation_error.hpp"

using namespace civicpub;
using federation::FederationError;

namespace {

std::shared_ptr<federation::BlockList> blocks_with(std::vector<std::string> patterns,
                                                   std::vector<std::string> suspended) {
  auto blocks = std::make_shared<federation::BlockList>();
  std::vector<federation::DomainRule> rules;
  for (const auto& p : patterns) rules.push_back(*federation::parse_domain_rule(p));
  blocks->update(std::move(rules), std::move(suspended));
  return blocks;
}

federation::InboxSettings settings_with(std::shared_ptr<federation::BlockList> blocks) {
  federation::InboxSettings s;
  s.blocks = std::move(blocks);
  return s;
}

}  // namespace

TEST_CASE("inbox moderation: a suspended actor is refused with 403 before its key is fetched") {
  test::World w(settings_with(blocks_with({}, {test::kAnnaUri})));
  auto anna = w.remote(test::kAnnaUri);
  auto r = w.accept(w.cavage_post(anna, test::follow_json(test::kAnnaUri + "/f/1", anna.uri,
                                                          w.local.uri)));
  REQUIRE_FALSE(r);
  CHECK(r.error() == FederationError::actor_suspended);
  CHECK(kind_of(r.error()) == ErrorKind::forbidden);
  CHECK(w.transport.requests.empty());
}

TEST_CASE("inbox moderation: the activity's actor is judged before any key fetch too") {
  // Signed by bob (not blocked), the activity claims an actor on a blocked authority.
  test::World w(settings_with(blocks_with({"*.remote.example"}, {})));
  auto bob = w.remote(test::kBobUri);
  auto r = w.accept(w.cavage_post(
      bob, test::follow_json("https://remote.example/f/1", test::kAnnaUri, w.local.uri)));
  REQUIRE_FALSE(r);
  CHECK(r.error() == FederationError::blocked_domain);
  CHECK(w.transport.requests.empty());
}

TEST_CASE("inbox moderation: another actor of the same server is still accepted") {
  test::World w(settings_with(blocks_with({}, {"https://remote.example/users/eve"})));
  auto anna = w.remote(test::kAnnaUri);
  auto r = w.accept(w.cavage_post(anna, test::follow_json(test::kAnnaUri + "/f/1", anna.uri,
                                                          w.local.uri)));
  CHECK(r);
}

TEST_CASE("remote posts: a post by a suspended author is not stored") {
  federation::RemotePostsSettings settings;
  settings.blocks = blocks_with({}, {test::kBobUri});
  test::PostsWorld w(settings);
  test::NoteSpec note;
  note.id = test::kBobUri + "/statuses/9";
  note.author = test::kBobUri;
  w.serve_note(note);
  auto got = w.run([&] { return w.posts.post(note.id); });
  REQUIRE_FALSE(got);
  CHECK(got.error() == FederationError::actor_suspended);
  CHECK_FALSE(w.post(note.id));
}
