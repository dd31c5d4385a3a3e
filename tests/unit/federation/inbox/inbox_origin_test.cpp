// Inbox::accept and origins (issue 11 item 2): an activity id belongs to its actor's origin, and
// deduplication is per actor, so nobody can claim someone else's activity id ahead of time.
#include "tests/unit/support/inbox_fixtures.hpp"

#include "federation/federation_error.hpp"
#include "storage/inbox_items.hpp"

using namespace civicpub;
using federation::FederationError;
using test::World;

namespace {

const std::string kAnna = "https://remote.example/users/anna";

std::int64_t queued(World& w) {
  return w.read([](storage::Connection& c) {
    return storage::inbox_items::count_by_state(c, storage::InboxState::pending);
  });
}

std::string delete_json(const std::string& id, const std::string& actor,
                        const std::string& object) {
  return R"({"id":")" + id + R"(","type":"Delete","actor":")" + actor + R"(","object":")" +
         object + R"("})";
}

}  // namespace

TEST_CASE("inbox: an activity id on another origin than its actor is refused, nothing stored") {
  World w;
  auto mallory = w.remote("https://evil.example/users/mallory");
  // Mallory claims the id of anna's future Delete of her post.
  const std::string claimed = "https://remote.example/notes/1#delete";
  std::string id = claimed;
  SECTION("another host") { id = claimed; }
  SECTION("the same host on another port") { id = "https://evil.example:8443/d/1"; }
  SECTION("the same host over http") { id = "http://evil.example/d/1"; }
  SECTION("not a URL") { id = "urn:uuid:1234"; }
  auto r = w.accept(w.cavage_post(
      mallory, delete_json(id, mallory.uri, "https://remote.example/notes/1"), "/inbox"));
  REQUIRE_FALSE(r);
  CHECK(r.error() == FederationError::foreign_activity_id);
  CHECK(kind_of(r.error()) == ErrorKind::invalid_input);
  CHECK(queued(w) == 0);
}

TEST_CASE("inbox: the same activity id from two actors of one origin is queued for each") {
  World w;
  auto anna = w.remote(kAnna);
  auto mallory = w.remote("https://remote.example/users/mallory");
  const std::string id = "https://remote.example/notes/1#delete";
  // Mallory (same server) delivers first, claiming anna's Delete id.
  REQUIRE(w.accept(w.cavage_post(
      mallory, delete_json(id, mallory.uri, "https://remote.example/notes/1"), "/inbox")));
  auto real = w.accept(
      w.cavage_post(anna, delete_json(id, kAnna, "https://remote.example/notes/1"), "/inbox"));
  REQUIRE(real);
  CHECK_FALSE(real->duplicate);
  CHECK(queued(w) == 2);
  // A redelivery by the same actor is still a duplicate.
  auto again = w.accept(
      w.cavage_post(anna, delete_json(id, kAnna, "https://remote.example/notes/1"), "/inbox"));
  REQUIRE(again);
  CHECK(again->duplicate);
  CHECK(queued(w) == 2);
}

TEST_CASE("inbox: a local actor's activity delivered by a remote signer is refused") {
  World w;
  auto mallory = w.remote("https://evil.example/users/mallory");
  // An unverified Delete naming our own account and one of our posts, forwarded by mallory.
  const std::string body = delete_json(w.local.uri + "/statuses/1#delete", w.local.uri,
                                       w.local.uri + "/statuses/1");
  auto r = w.accept(w.cavage_post(mallory, body, "/inbox"));
  REQUIRE_FALSE(r);
  CHECK(r.error() == FederationError::signer_not_actor);
  CHECK(queued(w) == 0);
}
