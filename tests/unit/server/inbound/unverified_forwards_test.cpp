// Create/Update/Delete delivered by someone else than their actor without a valid proof by it
// (FEDERATION.md "Integrity proofs"): queued as unverified and taken only as their origin
// confirms them; a forwarded reply is kept when its chain reaches a stored post.
#include "tests/unit/server/inbound/inbound_fixtures.hpp"

#include "federation/federation_error.hpp"
#include "storage/assertion_keys.hpp"
#include "storage/inbox_items.hpp"

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

TEST_CASE("proofs in: a forged or tampered forwarded Create is replaced by the origin's copy") {
  InboundWorld w;
  auto anna = w.remote_proving(kAnnaUri);
  const auto genuine = w.reply_to_town("<p>the real text</p>");
  w.serve_note(genuine);  // what anna's server says the post is
  const auto forged_note = w.reply_to_town("<p>forged text</p>");
  std::string body;

  SECTION("no proof at all") {
    body = create_of(kAnnaUri, forged_note);
  }
  SECTION("a proof by someone else's key") {
    const auto& bob_ed = test::ed25519_key(kBobUri);
    test::ActorDocument document(kBobUri, w.bob.keys.public_pem);
    document.assertion_key = bob_ed.public_key;
    w.transport.answer(kBobUri, 200, document.json());
    body =
        with_proof(create_of(kAnnaUri, forged_note), bob_ed.private_key, kBobUri + "#ed25519-key");
  }
  SECTION("a proof by the actor over other bytes (tampered in transit)") {
    body = with_proof(create_of(kAnnaUri, genuine), anna.ed25519.private_key,
                      kAnnaUri + "#ed25519-key");
    const std::string from = "the real text";
    body.replace(body.find(from), from.size(), "forged text");
  }
  SECTION("a proof naming the actor's key, which its document lists under another controller") {
    const auto& other = test::ed25519_key(kAnnaUri + "#other");
    test::ActorDocument document(kAnnaUri, anna.http.keys.public_pem);
    document.assertion_key = other.public_key;
    document.assertion_controller = kBobUri;
    w.transport.answer(kAnnaUri, 200, document.json());
    body =
        with_proof(create_of(kAnnaUri, forged_note), other.private_key, kAnnaUri + "#ed25519-key");
  }

  auto accepted = w.accept(w.cavage_post(w.bob, body));
  REQUIRE(accepted);
  auto items = w.pending_items();
  REQUIRE(items.size() == 1);
  CHECK(items[0].auth == storage::InboxAuth::unverified);
  CHECK(w.log_text.str().find("queued unverified") != std::string::npos);

  w.run([&w] { return w.worker.process_pending(); });
  auto stored = w.post(kNote1);
  REQUIRE(stored);
  CHECK(stored->content_html == "<p>the real text</p>");
  CHECK(w.transport.fetches(kNote1) == 1);
  // Not forwarded to anyone: these bytes were nobody's word.
  CHECK(w.queued().empty());
}

TEST_CASE("proofs in: an unverified Create whose origin copy is someone else's post is dropped") {
  InboundWorld w;
  NoteSpec at_origin = w.reply_to_town();
  at_origin.author = kAnnaUri + "x";  // the origin says another account wrote it
  w.serve_note(at_origin);
  w.remote(kAnnaUri + "x");
  const auto body = create_of(kAnnaUri, w.reply_to_town());
  REQUIRE(w.forward(w.bob, body));
  CHECK_FALSE(w.post(kNote1));
  auto failed = w.read([](storage::Connection& c) {
    return storage::inbox_items::count_by_state(c, storage::InboxState::failed);
  });
  CHECK(failed == 1);
}

TEST_CASE("proofs in: an unverified Update takes the origin's copy") {
  InboundWorld w;
  w.deliver(w.anna, create_of(kAnnaUri, w.reply_to_town("<p>first</p>")));
  REQUIRE(w.post(kNote1));
  NoteSpec edited = w.reply_to_town("<p>edited at origin</p>");
  edited.updated = "2026-01-02T00:00:00Z";
  w.serve_note(edited);
  NoteSpec forged = w.reply_to_town("<p>forged edit</p>");
  forged.updated = "2026-01-03T00:00:00Z";
  REQUIRE(w.forward(w.bob,
      test::activity_json(kAnnaUri + "/upd/1", "Update", kAnnaUri, test::note_json(forged))));
  CHECK(w.post(kNote1)->content_html == "<p>edited at origin</p>");
}

TEST_CASE("proofs in: an unverified Delete applies only when the origin says the post is gone") {
  InboundWorld w;
  const auto note = w.reply_to_town();
  w.deliver(w.anna, create_of(kAnnaUri, note));
  REQUIRE(w.post(kNote1));
  const auto del = test::activity_json(kAnnaUri + "/delete/1", "Delete", kAnnaUri,
                                       R"({"id":")" + kNote1 + R"(","type":"Tombstone"})");

  SECTION("the post still exists at its origin: dropped and logged") {
    w.serve_note(note);
    REQUIRE(w.forward(w.bob, del));
    CHECK_FALSE(w.post(kNote1)->deleted_at);
    CHECK_FALSE(w.tombstoned(kNote1));
    CHECK(w.log_text.str().find("still exists at its origin; dropped") != std::string::npos);
    auto done = w.read([](storage::Connection& c) {
      return storage::inbox_items::count_by_state(c, storage::InboxState::done);
    });
    CHECK(done >= 2);
  }
  SECTION("the origin answers 410") {
    w.transport.answer(kNote1, 410, "");
    REQUIRE(w.forward(w.bob, del));
    CHECK(w.post(kNote1)->deleted_at);
    CHECK(w.tombstoned(kNote1));
  }
  SECTION("the origin answers 404") {
    REQUIRE(w.forward(w.bob, del));  // nothing served: the fake answers 404
    CHECK(w.post(kNote1)->deleted_at);
  }
  SECTION("the origin serves a Tombstone") {
    w.transport.answer(kNote1, 200,
                       R"({"@context":"https://www.w3.org/ns/activitystreams","id":")" + kNote1 +
                           R"(","type":"Tombstone"})");
    REQUIRE(w.forward(w.bob, del));
    CHECK(w.post(kNote1)->deleted_at);
  }
}

TEST_CASE("proofs in: an unverified Delete is not applied on a 404 to a post that is not public") {
  // Issue 11: Mastodon answers 404 to a server that may not see a followers-only or direct
  // post, so a forger could have such a post deleted here by forwarding a Delete of it.
  InboundWorld w;
  auto note = w.reply_to_town();
  const auto del = test::activity_json(kAnnaUri + "/delete/1", "Delete", kAnnaUri,
                                       R"({"id":")" + kNote1 + R"(","type":"Tombstone"})");
  SECTION("a followers-only post") {
    note.to = kAnnaUri + "/followers";
    w.deliver(w.anna, create_of(kAnnaUri, note));
    REQUIRE(w.post(kNote1));
    REQUIRE(w.post(kNote1)->visibility == storage::Visibility::followers);
    REQUIRE(w.forward(w.bob, del));  // nothing served: the fake answers 404
    CHECK_FALSE(w.post(kNote1)->deleted_at);
    CHECK_FALSE(w.tombstoned(kNote1));
    CHECK(w.log_text.str().find("a 404 proves nothing") != std::string::npos);
  }
  SECTION("a post we do not hold is not tombstoned on a 404") {
    REQUIRE(w.forward(w.bob, del));
    CHECK_FALSE(w.tombstoned(kNote1));
    // so the post still comes in when its author delivers it
    w.deliver(w.anna, create_of(kAnnaUri, note));
    CHECK(w.post(kNote1));
  }
}

TEST_CASE(
    "proofs in: a forwarded reply whose parent has not arrived yet is kept when its chain "
    "reaches a stored post") {
  InboundWorld w;
  // bob replied to anna's reply to the town's post; anna's reply has not reached us yet but is
  // served at its origin. anna's server passes bob's reply on to us with bob's proof.
  auto bob = w.remote_proving(kBobUri);
  w.serve_note(w.reply_to_town("<p>anna, not delivered yet</p>"));
  NoteSpec bob_note;
  bob_note.id = kBobUri + "/statuses/9";
  bob_note.author = kBobUri;
  bob_note.in_reply_to = kNote1;
  bob_note.cc = kAnnaUri;  // addresses anna only: nobody here is named
  const auto create = create_of(kBobUri, bob_note, "9");
  SECTION("passed on by anna's server: the chain is followed and the reply kept") {
    REQUIRE(w.forward(w.anna, with_proof(create, bob.ed25519.private_key, bob.key_id())));
    REQUIRE(w.post(bob_note.id));
    CHECK(w.post(kNote1));  // its parent, fetched as an ancestor
  }
  SECTION("delivered by bob himself: not followed (Mastodon's rule), dropped") {
    REQUIRE(w.forward(bob.http, create));
    CHECK_FALSE(w.post(bob_note.id));
    CHECK(w.transport.fetches(kNote1) == 0);
  }
}
