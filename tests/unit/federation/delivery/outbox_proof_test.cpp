// The integrity proof enqueue_activity adds to every activity of a local actor (FEP-8b32,
// eddsa-jcs-2022, with the actor's assertion key), and what it leaves alone.
#include "federation/delivery/outbox.hpp"

#include "federation/as2/actor.hpp"
#include "federation/as2/integrity_proof.hpp"
#include "federation/as2/proof_error.hpp"
#include "federation/as2/reader.hpp"
#include "federation/convert/actor.hpp"
#include "federation/keys/assertion_key.hpp"
#include "storage/deliveries.hpp"
#include "tests/unit/support/enqueuer.hpp"
#include "tests/unit/support/inbox_fixtures.hpp"
#include "tests/unit/support/json.hpp"
#include "tests/unit/support/proof_fixtures.hpp"

using namespace civicpub;
using test::kAnnaUri;

using civicpub::test::parse;
using civicpub::test::str;

namespace {

namespace as2 = federation::as2;

std::vector<storage::DeliveryRecord> queued(test::World& w) {
  return w.read([&](storage::Connection& c) { return storage::deliveries::due(c, w.now, 50); });
}

}  // namespace

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
  extras.assertion_key = w.read([&](storage::Connection& c) {
                            return federation::local_assertion_multikey(c, w.local.id);
                          }).value_or("");
  REQUIRE_FALSE(extras.assertion_key.empty());
  const auto actor_doc = parse(federation::convert::render_actor(w.local, w.instance, extras));

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
    const auto& ed = test::ed25519_key(w.local.uri + "#other-key");
    const std::string body =
        test::with_proof(test::follow_json("https://town.example/f/2", w.local.uri, kAnnaUri),
                         ed.private_key, w.local.uri + "#other-key", test::kNow);
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

// Fedify lists https://w3id.org/security/data-integrity/v1; both it and our v2 are @protected
// with different definitions, so a group's Announce (v2) embedding a Fedify Create (v1) was
// invalid JSON-LD and Fedify answered it with 400 (tests/interop/test_fedify_groups.py).
TEST_CASE("proofs: an embedded activity's data-integrity context is the one listed outside") {
  test::World w;
  test::Enqueuer outbox(*w.db, w.clock);
  const std::string id = w.local.uri + "/announces/1";
  auto announce_of = [&](const std::string& inner_context) {
    return R"({"@context":"https://www.w3.org/ns/activitystreams","id":")" + id +
           R"(","type":"Announce","actor":")" + w.local.uri + R"(","object":{"@context":)" +
           inner_context +
           R"(,"id":"https://fedify.example/c/1","type":"Create",)"
           R"("actor":"https://fedify.example/u","object":"https://fedify.example/n/1"}})";
  };
  auto outer_context = [&](const std::string& body) {
    REQUIRE(outbox.enqueue_now(id, w.local.id, body, {"https://remote.example/inbox"}));
    const auto sent = parse(queued(w).at(0).body);
    REQUIRE(sent.HasMember("proof"));
    const auto& context = sent["@context"];
    REQUIRE(context.IsArray());
    REQUIRE(context.Size() == 2);
    CHECK(str(context[0]) == "https://www.w3.org/ns/activitystreams");
    return str(context[1]);
  };
  SECTION("Fedify's v1 inside: v1 outside") {
    CHECK(outer_context(announce_of(R"(["https://www.w3.org/ns/activitystreams",)"
                                    R"("https://w3id.org/security/data-integrity/v1"])")) ==
          "https://w3id.org/security/data-integrity/v1");
  }
  SECTION("none inside: ours") {
    CHECK(outer_context(announce_of(R"("https://www.w3.org/ns/activitystreams")")) ==
          as2::kDataIntegrityContext);
  }
}
