// Integrity proofs wired in (FEP-8b32, FEP-521a; FEDERATION.md "Integrity proofs"): local
// actors' Ed25519 keys and their Multikey, the proof enqueue_activity adds to every activity of a local
// actor, and the inbox rule for activities delivered by someone else than their actor: a valid
// proof by the actor is believed; without one, Create/Update/Delete are taken only as their
// origin confirms them, and everything else is refused.
#include "tests/unit/server/inbound/inbound_fixtures.hpp"
#include "federation/convert/actor.hpp"

#include "server/services/accounts.hpp"
#include "federation/as2/actor.hpp"
#include "federation/as2/integrity_proof.hpp"
#include "federation/as2/proof_error.hpp"
#include "federation/as2/reader.hpp"
#include "federation/keys/assertion_key.hpp"
#include "federation/crypto/ed25519.hpp"
#include "federation/crypto/multibase.hpp"
#include "federation/federation_error.hpp"
#include "federation/delivery/outbox.hpp"
#include "tests/unit/support/enqueuer.hpp"
#include "server/views/actor_views.hpp"
#include "storage/assertion_keys.hpp"
#include "storage/deliveries.hpp"
#include "storage/inbox_items.hpp"

using namespace civicpub;
using federation::FederationError;
using test::kAnnaUri;
using test::kBobUri;
using test::NoteSpec;
using test::InboundWorld;

namespace {

namespace as2 = federation::as2;
namespace convert = civicpub::federation::convert;
namespace crypto = federation::crypto;

const std::string kNote1 = kAnnaUri + "/statuses/1";

rapidjson::Document parse(const std::string& json) {
  auto doc = as2::parse_json(json);
  REQUIRE(doc);
  return std::move(*doc);
}

std::string str(const rapidjson::Value& v) {
  return {v.GetString(), v.GetStringLength()};
}

// An actor document as test::actor_document writes it, plus a FEP-521a assertionMethod key.
std::string actor_document_with_key(const std::string& uri, const std::string& rsa_public_pem,
                                    const std::string& public_key,
                                    const std::string& controller = {}) {
  std::string doc = test::actor_document(uri, rsa_public_pem);
  auto multikey = crypto::ed25519_public_key_to_multikey(public_key);
  REQUIRE(multikey);
  doc.pop_back();  // the closing brace
  doc += R"(,"assertionMethod":[{"id":")" + uri + R"(#ed25519-key","type":"Multikey",)" +
         R"("controller":")" + (controller.empty() ? uri : controller) +
         R"(","publicKeyMultibase":")" + *multikey + R"("}]})";
  return doc;
}

// A remote actor that signs its activities with an integrity proof.
struct ProvingActor {
  test::RemoteActor http;
  crypto::Ed25519KeyPair ed25519;
};

ProvingActor proving_actor(test::World& w, const std::string& uri) {
  ProvingActor a{w.remote(uri, false), crypto::generate_ed25519_key_pair()};
  w.transport.answers[uri] = {
      200, actor_document_with_key(uri, a.http.keys.public_pem, a.ed25519.public_key)};
  return a;
}

std::string with_proof(const std::string& body, const std::string& private_key,
                       const std::string& key_id, storage::Millis at = test::kNow) {
  as2::ProofOptions options;
  options.verification_method = key_id;
  options.created = as2::proof_created(at);
  auto signed_body = as2::create_proof(body, private_key, options);
  REQUIRE(signed_body);
  return *signed_body;
}

std::string create_of(const std::string& actor, const NoteSpec& note, const std::string& n = "1") {
  return test::activity_json(actor + "/create/" + n, "Create", actor, test::note_json(note));
}

// A reply by anna to the town's post: it concerns us, so a Create of it is stored.
NoteSpec reply_to_town(const InboundWorld& w, const std::string& content = "<p>hello</p>") {
  NoteSpec note;
  note.id = kNote1;
  note.in_reply_to = w.town_post.ap_id;
  note.cc = w.local.uri;
  note.content = content;
  return note;
}

std::vector<storage::InboxItemRecord> pending(test::World& w) {
  return w.read([](storage::Connection& c) { return storage::inbox_items::next_pending(c, 20); });
}

std::vector<storage::DeliveryRecord> queued(test::World& w) {
  return w.read([&](storage::Connection& c) { return storage::deliveries::due(c, w.now, 50); });
}

// Accepts `body` as delivered (HTTP-signed) by `signer`, then processes the queue.
Result<federation::InboxAccepted> forward(InboundWorld& w, const test::RemoteActor& signer,
                                          const std::string& body) {
  auto accepted = w.accept(w.cavage_post(signer, body));
  if (accepted) w.run([&w] { return w.worker.process_pending(); });
  return accepted;
}

}  // namespace

// --- Keys and the actor document ---------------------------------------------------------------

TEST_CASE("proofs: a new account gets an Ed25519 key with its RSA key") {
  test::World w;
  server::services::AccountSettings settings{"https://town.example", "town.example"};
  server::services::NewAccount account;
  account.username = "mayor";
  account.now = test::kNow;
  auto created = server::services::create_local_account(*w.db, settings, account);
  REQUIRE(created);
  auto key = w.read(
      [&](storage::Connection& c) { return storage::assertion_keys::find_local(c, created->id); });
  REQUIRE(key);
  CHECK(key->public_key_multibase.starts_with("z6Mk"));
  auto raw = crypto::ed25519_private_key_from_pem(key->private_key_pem);
  REQUIRE(raw);
  auto public_key = crypto::ed25519_public_key_of(*raw);
  REQUIRE(public_key);
  CHECK(crypto::ed25519_public_key_to_multikey(*public_key).value() == key->public_key_multibase);
}

TEST_CASE("proofs: accounts made before keys existed get one once at start-up") {
  test::World w;  // gemeente and the instance actor were stored without an Ed25519 key
  CHECK(server::views::assertion_key(*w.db, w.local.id).value().empty());
  auto made = federation::ensure_assertion_keys(*w.db, test::kNow);
  REQUIRE(made);
  CHECK(*made == 2);
  const auto published = server::views::assertion_key(*w.db, w.local.id).value();
  CHECK(published.starts_with("z6Mk"));
  CHECK(federation::ensure_assertion_keys(*w.db, test::kNow).value() == 0);
  CHECK(server::views::assertion_key(*w.db, w.local.id).value() == published);
}

TEST_CASE("proofs: the published Multikey is found by its id and controlled by the actor") {
  test::World w;
  REQUIRE(federation::ensure_assertion_keys(*w.db, test::kNow));
  as2::ActorExtras extras;
  extras.assertion_key = server::views::assertion_key(*w.db, w.local.id).value();
  const auto doc = parse(convert::render_actor(w.local, w.instance, extras));
  const auto key_id = federation::assertion_key_id(w.local.uri);
  CHECK(key_id == w.local.uri + "#ed25519-key");
  auto key = federation::find_assertion_key(doc, key_id);
  REQUIRE(key);
  CHECK(key->controller == w.local.uri);
  CHECK(key->public_key.size() == crypto::kEd25519KeyBytes);
  CHECK_FALSE(federation::find_assertion_key(doc, w.local.uri + "#main-key"));
}

// --- Outgoing -----------------------------------------------------------------------------------

TEST_CASE("proofs: every activity queued for its own actor carries a verifiable proof") {
  test::World w;
  test::Enqueuer outbox(*w.db, w.clock);
  const std::string id = w.local.uri + "/statuses/9/activity";
  const std::string body = R"({"@context":["https://www.w3.org/ns/activitystreams",)"
                           R"({"sensitive":"as:sensitive"}],"id":")" +
                           id + R"(","type":"Create","actor":")" + w.local.uri +
                           R"(","object":{"id":")" + w.local.uri +
                           R"(/statuses/9","type":"Note","content":"<p>Plan</p>"}})";
  REQUIRE(outbox.enqueue_now(id, w.local.id, body, {"https://remote.example/inbox"}).value() == 1);
  auto rows = queued(w);
  REQUIRE(rows.size() == 1);
  const auto sent = parse(rows[0].body);

  // The key was made on first use (this account had none) and is the one the actor publishes.
  as2::ActorExtras extras;
  extras.assertion_key = server::views::assertion_key(*w.db, w.local.id).value();
  REQUIRE_FALSE(extras.assertion_key.empty());
  const auto actor_doc = parse(convert::render_actor(w.local, w.instance, extras));

  REQUIRE(sent.HasMember("proof"));
  const auto& proof = sent["proof"];
  CHECK(str(proof["type"]) == "DataIntegrityProof");
  CHECK(str(proof["cryptosuite"]) == "eddsa-jcs-2022");
  CHECK(str(proof["proofPurpose"]) == "assertionMethod");
  CHECK(str(proof["verificationMethod"]) == w.local.uri + "#ed25519-key");
  CHECK(str(proof["created"]) == "2026-01-01T00:00:00Z");
  // The data-integrity context joins the activity's own.
  const auto& context = sent["@context"];
  REQUIRE(context.IsArray());
  CHECK(str(context[0]) == "https://www.w3.org/ns/activitystreams");
  CHECK(context[1].IsObject());
  CHECK(str(context[context.Size() - 1]) == as2::kDataIntegrityContext);

  auto key = federation::find_assertion_key(actor_doc, str(proof["verificationMethod"]));
  REQUIRE(key);
  CHECK(key->controller == w.local.uri);
  CHECK(as2::verify_proof(sent, key->public_key));

  // Whatever changes in transit breaks it.
  auto tampered = parse(rows[0].body);
  tampered["object"]["content"].SetString("<p>Other</p>");
  CHECK(as2::verify_proof(tampered, key->public_key).error() == as2::ProofError::bad_signature);
}

TEST_CASE("proofs: enqueue_activity leaves other actors' activities and existing proofs alone") {
  test::World w;
  test::Enqueuer outbox(*w.db, w.clock);
  SECTION("a body whose actor is not the sending account") {
    const std::string body = test::follow_json("https://town.example/f/1", kAnnaUri, w.local.uri);
    REQUIRE(outbox.enqueue_now("https://town.example/f/1", w.local.id, body, {"https://a/inbox"}));
    CHECK(queued(w).at(0).body == body);
  }
  SECTION("a body that has a proof already") {
    auto ed = crypto::generate_ed25519_key_pair();
    const std::string body =
        with_proof(test::follow_json("https://town.example/f/2", w.local.uri, kAnnaUri),
                   ed.private_key, w.local.uri + "#other-key");
    REQUIRE(outbox.enqueue_now("https://town.example/f/2", w.local.id, body, {"https://a/inbox"}));
    CHECK(queued(w).at(0).body == body);
  }
  SECTION("a body without an actor") {
    REQUIRE(outbox.enqueue_now("https://town.example/x", w.local.id, "{}", {"https://a/inbox"}));
    CHECK(queued(w).at(0).body == "{}");
  }
  SECTION("forward() never adds one") {
    const std::string body = test::follow_json("https://town.example/f/3", w.local.uri, kAnnaUri);
    REQUIRE(w.db->write_sync([&](storage::Connection& c) {
      return federation::forward_activity(c, "https://town.example/f/3", w.local.id, body,
                                         {"https://a/inbox"}, w.clock());
    }));
    CHECK(queued(w).at(0).body == body);
  }
}

// --- Incoming: forwarded activities -------------------------------------------------------------

TEST_CASE("proofs in: a forwarded Create with a valid proof by its actor is believed") {
  InboundWorld w;
  auto anna = proving_actor(w, kAnnaUri);
  const auto note = reply_to_town(w);
  const auto body =
      with_proof(create_of(kAnnaUri, note), anna.ed25519.private_key, kAnnaUri + "#ed25519-key");

  auto accepted = w.accept(w.cavage_post(w.bob, body));  // bob (another server) forwards it
  REQUIRE(accepted);
  auto items = pending(w);
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
    REQUIRE(forward(w, w.bob, again));
    CHECK(w.transport.fetches(kAnnaUri) == fetches);
    CHECK(w.post(second.id));
  }
}

TEST_CASE("proofs in: a forwarded Delete with a valid proof applies without asking the origin") {
  InboundWorld w;
  auto anna = proving_actor(w, kAnnaUri);
  w.deliver(anna.http, create_of(kAnnaUri, reply_to_town(w)));  // anna's own delivery
  REQUIRE(w.post(kNote1));
  const auto del =
      with_proof(test::activity_json(kAnnaUri + "/delete/1", "Delete", kAnnaUri,
                                     R"({"id":")" + kNote1 + R"(","type":"Tombstone"})"),
                 anna.ed25519.private_key, kAnnaUri + "#ed25519-key");
  REQUIRE(forward(w, w.bob, del));
  CHECK(w.post(kNote1)->deleted_at);
  CHECK(w.tombstoned(kNote1));
  CHECK(w.transport.fetches(kNote1) == 0);
}

TEST_CASE("proofs in: a forged or tampered forwarded Create is replaced by the origin's copy") {
  InboundWorld w;
  auto anna = proving_actor(w, kAnnaUri);
  const auto genuine = reply_to_town(w, "<p>the real text</p>");
  w.serve_note(genuine);  // what anna's server says the post is
  const auto forged_note = reply_to_town(w, "<p>forged text</p>");
  std::string body;

  SECTION("no proof at all") {
    body = create_of(kAnnaUri, forged_note);
  }
  SECTION("a proof by someone else's key") {
    auto bob_ed = crypto::generate_ed25519_key_pair();
    w.transport.answers[kBobUri] = {
        200, actor_document_with_key(kBobUri, w.bob.keys.public_pem, bob_ed.public_key)};
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
    auto other = crypto::generate_ed25519_key_pair();
    w.transport.answers[kAnnaUri] = {
        200,
        actor_document_with_key(kAnnaUri, anna.http.keys.public_pem, other.public_key, kBobUri)};
    body =
        with_proof(create_of(kAnnaUri, forged_note), other.private_key, kAnnaUri + "#ed25519-key");
  }

  auto accepted = w.accept(w.cavage_post(w.bob, body));
  REQUIRE(accepted);
  auto items = pending(w);
  REQUIRE(items.size() == 1);
  CHECK(items[0].auth == storage::InboxAuth::unverified);
  CHECK(w.log_text.str().find("queued unverified") != std::string::npos);

  w.run([&w] { return w.worker.process_pending(); });
  auto stored = w.post(kNote1);
  REQUIRE(stored);
  CHECK(stored->content_html == "<p>the real text</p>");
  CHECK(w.transport.fetches(kNote1) == 1);
  // Not forwarded to anyone: these bytes were nobody's word.
  CHECK(queued(w).empty());
}

TEST_CASE("proofs in: an unverified Create whose origin copy is someone else's post is dropped") {
  InboundWorld w;
  NoteSpec at_origin = reply_to_town(w);
  at_origin.author = kAnnaUri + "x";  // the origin says another account wrote it
  w.serve_note(at_origin);
  w.remote(kAnnaUri + "x");
  const auto body = create_of(kAnnaUri, reply_to_town(w));
  REQUIRE(forward(w, w.bob, body));
  CHECK_FALSE(w.post(kNote1));
  auto failed = w.read([](storage::Connection& c) {
    return storage::inbox_items::count_by_state(c, storage::InboxState::failed);
  });
  CHECK(failed == 1);
}

TEST_CASE("proofs in: an unverified Update takes the origin's copy") {
  InboundWorld w;
  w.deliver(w.anna, create_of(kAnnaUri, reply_to_town(w, "<p>first</p>")));
  REQUIRE(w.post(kNote1));
  NoteSpec edited = reply_to_town(w, "<p>edited at origin</p>");
  edited.updated = "2026-01-02T00:00:00Z";
  w.serve_note(edited);
  NoteSpec forged = reply_to_town(w, "<p>forged edit</p>");
  forged.updated = "2026-01-03T00:00:00Z";
  REQUIRE(forward(
      w, w.bob,
      test::activity_json(kAnnaUri + "/upd/1", "Update", kAnnaUri, test::note_json(forged))));
  CHECK(w.post(kNote1)->content_html == "<p>edited at origin</p>");
}

TEST_CASE("proofs in: an unverified Delete applies only when the origin says the post is gone") {
  InboundWorld w;
  const auto note = reply_to_town(w);
  w.deliver(w.anna, create_of(kAnnaUri, note));
  REQUIRE(w.post(kNote1));
  const auto del = test::activity_json(kAnnaUri + "/delete/1", "Delete", kAnnaUri,
                                       R"({"id":")" + kNote1 + R"(","type":"Tombstone"})");

  SECTION("the post still exists at its origin: dropped and logged") {
    w.serve_note(note);
    REQUIRE(forward(w, w.bob, del));
    CHECK_FALSE(w.post(kNote1)->deleted_at);
    CHECK_FALSE(w.tombstoned(kNote1));
    CHECK(w.log_text.str().find("still exists at its origin; dropped") != std::string::npos);
    auto done = w.read([](storage::Connection& c) {
      return storage::inbox_items::count_by_state(c, storage::InboxState::done);
    });
    CHECK(done >= 2);
  }
  SECTION("the origin answers 410") {
    w.transport.answers[kNote1] = {410, ""};
    REQUIRE(forward(w, w.bob, del));
    CHECK(w.post(kNote1)->deleted_at);
    CHECK(w.tombstoned(kNote1));
  }
  SECTION("the origin answers 404") {
    REQUIRE(forward(w, w.bob, del));  // nothing served: the fake answers 404
    CHECK(w.post(kNote1)->deleted_at);
  }
  SECTION("the origin serves a Tombstone") {
    w.transport.answers[kNote1] = {
        200, R"({"@context":"https://www.w3.org/ns/activitystreams","id":")" + kNote1 +
                 R"(","type":"Tombstone"})"};
    REQUIRE(forward(w, w.bob, del));
    CHECK(w.post(kNote1)->deleted_at);
  }
}

TEST_CASE("proofs in: without a valid proof other forwarded types are refused with 401") {
  InboundWorld w;
  auto anna = proving_actor(w, kAnnaUri);
  std::string body;
  SECTION("a Like") {
    body = test::activity_json(kAnnaUri + "/likes/1", "Like", kAnnaUri,
                               test::quoted(w.town_post.ap_id));
  }
  SECTION("a Follow with a proof by another key") {
    auto other = crypto::generate_ed25519_key_pair();
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
  CHECK(pending(w).empty());
  CHECK(w.log_text.str().find("no valid integrity proof") != std::string::npos);
}

TEST_CASE("proofs in: a forwarded Like with a valid proof by its actor is accepted") {
  InboundWorld w;
  auto anna = proving_actor(w, kAnnaUri);
  const auto body = with_proof(
      test::activity_json(kAnnaUri + "/likes/1", "Like", kAnnaUri, test::quoted(w.town_post.ap_id)),
      anna.ed25519.private_key, kAnnaUri + "#ed25519-key");
  auto r = w.accept(w.cavage_post(w.bob, body));
  REQUIRE(r);
  CHECK(pending(w).at(0).auth == storage::InboxAuth::proof);
}

TEST_CASE("proofs in: a rotated assertion key is picked up with one refetch") {
  InboundWorld w;
  auto anna = proving_actor(w, kAnnaUri);
  const auto like = [&](const std::string& n, const std::string& key) {
    return with_proof(test::activity_json(kAnnaUri + "/likes/" + n, "Like", kAnnaUri,
                                          test::quoted(w.town_post.ap_id)),
                      key, kAnnaUri + "#ed25519-key");
  };
  REQUIRE(w.accept(w.cavage_post(w.bob, like("1", anna.ed25519.private_key))));
  const int fetches = w.transport.fetches(kAnnaUri);

  auto rotated = crypto::generate_ed25519_key_pair();
  w.transport.answers[kAnnaUri] = {
      200, actor_document_with_key(kAnnaUri, anna.http.keys.public_pem, rotated.public_key)};
  auto r = w.accept(w.cavage_post(w.bob, like("2", rotated.private_key)));
  REQUIRE(r);
  CHECK(w.transport.fetches(kAnnaUri) == fetches + 1);
  CHECK(pending(w).size() == 2);

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
  const auto sent = queued(w).at(0).body;
  auto r = w.accept(w.cavage_post(w.bob, sent));
  REQUIRE(r);
  CHECK(pending(w).at(0).auth == storage::InboxAuth::proof);
}

// --- Relevance of forwarded replies --------------------------------------------------------------

TEST_CASE(
    "proofs in: a forwarded reply whose parent has not arrived yet is kept when its chain "
    "reaches a stored post") {
  InboundWorld w;
  // bob replied to anna's reply to the town's post; anna's reply has not reached us yet but is
  // served at its origin. anna's server passes bob's reply on to us with bob's proof.
  auto bob = proving_actor(w, kBobUri);
  w.serve_note(reply_to_town(w, "<p>anna, not delivered yet</p>"));
  NoteSpec bob_note;
  bob_note.id = kBobUri + "/statuses/9";
  bob_note.author = kBobUri;
  bob_note.in_reply_to = kNote1;
  bob_note.cc = kAnnaUri;  // addresses anna only: nobody here is named
  const auto create = create_of(kBobUri, bob_note, "9");
  SECTION("passed on by anna's server: the chain is followed and the reply kept") {
    REQUIRE(
        forward(w, w.anna, with_proof(create, bob.ed25519.private_key, kBobUri + "#ed25519-key")));
    REQUIRE(w.post(bob_note.id));
    CHECK(w.post(kNote1));  // its parent, fetched as an ancestor
  }
  SECTION("delivered by bob himself: not followed (Mastodon's rule), dropped") {
    REQUIRE(forward(w, bob.http, create));
    CHECK_FALSE(w.post(bob_note.id));
    CHECK(w.transport.fetches(kNote1) == 0);
  }
}

TEST_CASE("posts in: a post of a conversation stored here (same context) concerns us") {
  InboundWorld w;
  NoteSpec note;
  note.id = kAnnaUri + "/statuses/5";
  note.in_reply_to = kAnnaUri + "/statuses/unknown";  // neither stored nor served
  std::string json = test::note_json(note);
  json.pop_back();
  json += R"(,"context":")" + w.town_post.context + R"("})";
  w.deliver(w.anna, test::activity_json(kAnnaUri + "/create/5", "Create", kAnnaUri, json));
  auto stored = w.post(note.id);
  REQUIRE(stored);
  CHECK(stored->context == w.town_post.context);
}
