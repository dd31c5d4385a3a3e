// Activities delivered by someone else than their actor, with the actor's integrity proof
// (FEP-8b32; FEDERATION.md "Integrity proofs"): a valid proof by the actor's FEP-521a key is
// believed, whatever the type; without one, anything but Create/Update/Delete is refused with
// 401. The key is cached and refetched once when it has rotated.
#include "tests/unit/server/inbound/inbound_fixtures.hpp"

#include "federation/federation_error.hpp"
#include "storage/assertion_keys.hpp"
#include "storage/inbox_items.hpp"
#include "tests/unit/support/enqueuer.hpp"

using namespace civicpub;
using federation::FederationError;
using test::create_of;
using test::InboundWorld;
using test::kAnnaUri;
using test::kBobUri;
using test::NoteSpec;
using test::with_proof;

namespace {

const std::string kNote1 = kAnnaUri + "/statuses/1";

}  // namespace

TEST_CASE("proofs in: a forwarded Create with a valid proof by its actor is believed") {
  InboundWorld w;
  auto anna = w.remote_proving(kAnnaUri);
  const auto note = w.reply_to_town();
  const auto body = with_proof(create_of(kAnnaUri, note), anna.ed25519.private_key, anna.key_id());

  auto accepted = w.accept(w.cavage_post(w.bob, body));  // bob (another server) forwards it
  REQUIRE(accepted);
  auto items = w.pending_items();
  REQUIRE(items.size() == 1);
  CHECK(items[0].auth == storage::InboxAuth::proof);
  CHECK(items[0].actor_uri == kAnnaUri);
  // The key is kept for the next proof.
  auto cached = w.read([](storage::Connection& c) {
    return storage::assertion_keys::find_remote(c, kAnnaUri + "#ed25519-key");
  });
  REQUIRE(cached);
  CHECK(cached->actor_uri == kAnnaUri);

  w.run([&w] { return w.worker.process_pending(); });
  auto stored = w.post(kNote1);
  REQUIRE(stored);
  CHECK(stored->content_html == "<p>hello</p>");
  CHECK(w.transport.fetches(kNote1) == 0);  // the embedded copy was believed

  SECTION("the next proof by the same key needs no fetch") {
    const int fetches = w.transport.fetches(kAnnaUri);
    NoteSpec second = note;
    second.id = kAnnaUri + "/statuses/2";
    const auto again = with_proof(create_of(kAnnaUri, second, "2"), anna.ed25519.private_key,
                                  kAnnaUri + "#ed25519-key");
    REQUIRE(w.forward(w.bob, again));
    CHECK(w.transport.fetches(kAnnaUri) == fetches);
    CHECK(w.post(second.id));
  }
}

TEST_CASE("proofs in: a forwarded Delete with a valid proof applies without asking the origin") {
  InboundWorld w;
  auto anna = w.remote_proving(kAnnaUri);
  w.deliver(anna.http, create_of(kAnnaUri, w.reply_to_town()));  // anna's own delivery
  REQUIRE(w.post(kNote1));
  const auto del =
      with_proof(test::activity_json(kAnnaUri + "/delete/1", "Delete", kAnnaUri,
                                     R"({"id":")" + kNote1 + R"(","type":"Tombstone"})"),
                 anna.ed25519.private_key, anna.key_id());
  REQUIRE(w.forward(w.bob, del));
  CHECK(w.post(kNote1)->deleted_at);
  CHECK(w.tombstoned(kNote1));
  CHECK(w.transport.fetches(kNote1) == 0);
}

TEST_CASE("proofs in: without a valid proof other forwarded types are refused with 401") {
  InboundWorld w;
  auto anna = w.remote_proving(kAnnaUri);
  std::string body;
  SECTION("a Like") {
    body = test::activity_json(kAnnaUri + "/likes/1", "Like", kAnnaUri,
                               test::quoted(w.town_post.ap_id));
  }
  SECTION("a Follow with a proof by another key") {
    const auto& other = test::ed25519_key(kAnnaUri + "#other");
    body = with_proof(test::follow_json(kAnnaUri + "/f/1", kAnnaUri, w.local.uri),
                      other.private_key, kAnnaUri + "#ed25519-key");
  }
  SECTION("an Announce") {
    body = test::activity_json(kAnnaUri + "/announce/1", "Announce", kAnnaUri,
                               test::quoted(w.town_post.ap_id));
  }
  SECTION("a Delete without an object id") {
    body = R"({"@context":"https://www.w3.org/ns/activitystreams","id":")" + kAnnaUri +
           R"(/d/1","type":"Delete","actor":")" + kAnnaUri + R"("})";
  }
  auto r = w.accept(w.cavage_post(w.bob, body));
  REQUIRE_FALSE(r);
  CHECK(r.error() == FederationError::signer_not_actor);
  CHECK(kind_of(r.error()) == ErrorKind::unauthorized);
  CHECK(w.pending_items().empty());
  CHECK(w.log_text.str().find("no valid integrity proof") != std::string::npos);
}

TEST_CASE("proofs in: a forwarded Like with a valid proof by its actor is accepted") {
  InboundWorld w;
  auto anna = w.remote_proving(kAnnaUri);
  const auto body = with_proof(
      test::activity_json(kAnnaUri + "/likes/1", "Like", kAnnaUri, test::quoted(w.town_post.ap_id)),
      anna.ed25519.private_key, anna.key_id());
  auto r = w.accept(w.cavage_post(w.bob, body));
  REQUIRE(r);
  CHECK(w.pending_items().at(0).auth == storage::InboxAuth::proof);
}

TEST_CASE("proofs in: a rotated assertion key is picked up with one refetch") {
  InboundWorld w;
  auto anna = w.remote_proving(kAnnaUri);
  const auto like = [&](const std::string& n, const std::string& key) {
    return with_proof(test::activity_json(kAnnaUri + "/likes/" + n, "Like", kAnnaUri,
                                          test::quoted(w.town_post.ap_id)),
                      key, kAnnaUri + "#ed25519-key");
  };
  REQUIRE(w.accept(w.cavage_post(w.bob, like("1", anna.ed25519.private_key))));
  const int fetches = w.transport.fetches(kAnnaUri);

  const auto& rotated = test::ed25519_key(kAnnaUri + "#rotated");
  test::ActorDocument document(kAnnaUri, anna.http.keys.public_pem);
  document.assertion_key = rotated.public_key;
  w.transport.answer(kAnnaUri, 200, document.json());
  auto r = w.accept(w.cavage_post(w.bob, like("2", rotated.private_key)));
  REQUIRE(r);
  CHECK(w.transport.fetches(kAnnaUri) == fetches + 1);
  CHECK(w.pending_items().size() == 2);

  // The old key no longer verifies, and the refetch within the interval is refused.
  auto stale = w.accept(w.cavage_post(w.bob, like("3", anna.ed25519.private_key)));
  REQUIRE_FALSE(stale);
  CHECK(w.transport.fetches(kAnnaUri) == fetches + 1);
}

TEST_CASE("proofs in: our own activity forwarded back to us verifies with our key") {
  InboundWorld w;
  test::Enqueuer outbox(*w.db, w.clock);
  const std::string id = w.local.uri + "/likes/1";
  const std::string body = test::activity_json(id, "Like", w.local.uri, test::quoted(kNote1));
  REQUIRE(outbox.enqueue_now(id, w.local.id, body, {"https://remote.example/inbox"}));
  const auto sent = w.queued().at(0).body;
  auto r = w.accept(w.cavage_post(w.bob, sent));
  REQUIRE(r);
  CHECK(w.pending_items().at(0).auth == storage::InboxAuth::proof);
}

TEST_CASE("proofs in: a forwarded Delete whose proof is stale counts as unproven") {
  // Issue 11: a proof made more than a week ago (or over an hour ahead) is no proof; the
  // Delete is then believed only as its origin confirms it.
  InboundWorld w;
  auto anna = w.remote_proving(kAnnaUri);
  const auto note = w.reply_to_town();
  w.deliver(anna.http, create_of(kAnnaUri, note));
  REQUIRE(w.post(kNote1));
  w.serve_note(note);  // the post still exists at its origin
  storage::Millis created = test::kNow;
  SECTION("eight days old") { created = test::kNow - 8LL * 24 * 3600 * 1000; }
  SECTION("two hours ahead") { created = test::kNow + 2LL * 3600 * 1000; }
  const auto del = test::with_proof(
      test::activity_json(kAnnaUri + "/delete/1", "Delete", kAnnaUri,
                          R"({"id":")" + kNote1 + R"(","type":"Tombstone"})"),
      anna.ed25519.private_key, anna.key_id(), created);
  REQUIRE(w.forward(w.bob, del));
  CHECK_FALSE(w.post(kNote1)->deleted_at);
  CHECK(w.transport.fetches(kNote1) == 1);
  CHECK(w.log_text.str().find("integrity proof too old or ahead of time") != std::string::npos);
}
