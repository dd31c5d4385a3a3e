// Inbox::accept: what is queued and what is refused (one negative test per rejection rule).
#include "tests/unit/support/inbox_fixtures.hpp"

#include "federation/federation_error.hpp"
#include "federation/signatures/signature_error.hpp"
#include "storage/inbox_items.hpp"

using namespace civicpub;
using federation::FederationError;
using federation::signatures::SignatureError;
using test::World;

namespace {

const std::string kAnna = "https://remote.example/users/anna";

std::string follow_body(const std::string& id = "https://remote.example/f/1") {
  return test::follow_json(id, kAnna, "https://town.example/users/gemeente");
}

std::int64_t queued(World& w) {
  return w.read([](storage::Connection& c) {
    return storage::inbox_items::count_by_state(c, storage::InboxState::pending);
  });
}

}  // namespace

TEST_CASE("inbox: a draft-cavage signed POST is queued") {
  World w;
  auto anna = w.remote(kAnna);
  auto r = w.accept(w.cavage_post(anna, follow_body()));
  REQUIRE(r);
  CHECK(r->item_id > 0);
  CHECK_FALSE(r->duplicate);
  CHECK(queued(w) == 1);
  auto items =
      w.read([](storage::Connection& c) { return storage::inbox_items::next_pending(c, 5); });
  REQUIRE(items.size() == 1);
  CHECK(items[0].activity_id == "https://remote.example/f/1");
  CHECK(items[0].key_id == anna.key_id);
  CHECK(items[0].body == follow_body());
  // The key fetch was signed by the instance actor.
  REQUIRE(w.transport.requests.size() == 1);
  auto sig = w.transport.requests[0].header("Signature");
  REQUIRE(sig);
  CHECK(sig->find("keyId=\"https://town.example/actor#main-key\"") != std::string_view::npos);
  CHECK(sig->find("(request-target) host date accept") != std::string_view::npos);
  // The stored actor's summary went through the sanitizer.
  auto actor =
      w.read([](storage::Connection& c) { return storage::actors::find_by_uri(c, kAnna); });
  REQUIRE(actor);
  CHECK(actor->summary_html.find("script") == std::string::npos);
  CHECK(actor->shared_inbox == "https://remote.example/inbox");
}

TEST_CASE("inbox: an RFC 9421 signed POST (Fedify's first knock) is queued") {
  World w;
  auto anna = w.remote(kAnna);
  auto r = w.accept(w.rfc9421_post(anna, follow_body()));
  REQUIRE(r);
  CHECK(queued(w) == 1);
}

TEST_CASE("inbox: a POST without a signature is refused with 401 and nothing stored") {
  World w;
  w.remote(kAnna);
  federation::InboundRequest in;
  in.method = "POST";
  in.target = "/inbox";
  in.body = follow_body();
  auto r = w.accept(in);
  REQUIRE_FALSE(r);
  CHECK(r.error() == SignatureError::missing_signature);
  CHECK(kind_of(r.error()) == ErrorKind::unauthorized);
  CHECK(queued(w) == 0);
}

TEST_CASE("inbox: a tampered body is refused with 401 and nothing stored") {
  World w;
  auto anna = w.remote(kAnna);
  auto in = w.cavage_post(anna, follow_body());
  in.body = follow_body("https://remote.example/f/2");
  auto r = w.accept(in);
  REQUIRE_FALSE(r);
  CHECK(kind_of(r.error()) == ErrorKind::unauthorized);
  CHECK(queued(w) == 0);
}

TEST_CASE("inbox: a signer who is not the activity's actor is refused and nothing stored") {
  World w;
  auto anna = w.remote(kAnna);
  auto mallory = w.remote("https://remote.example/users/mallory");
  auto r = w.accept(w.cavage_post(mallory, follow_body()));
  REQUIRE_FALSE(r);
  CHECK(r.error() == FederationError::signer_not_actor);
  CHECK(kind_of(r.error()) == ErrorKind::unauthorized);
  CHECK(r.error().message() == "signer is not the activity's actor");
  CHECK(queued(w) == 0);
  CHECK(w.log_text.str().find("https://remote.example/f/1") != std::string::npos);
}

TEST_CASE("inbox: a key that cannot be fetched (404) is refused with 401") {
  World w;
  auto anna = w.remote(kAnna, /*serve=*/false);
  auto r = w.accept(w.cavage_post(anna, follow_body()));
  REQUIRE_FALSE(r);
  CHECK(r.error() == FederationError::key_unavailable);
  CHECK(kind_of(r.error()) == ErrorKind::unauthorized);
  CHECK(queued(w) == 0);
}

TEST_CASE("inbox: a rotated key is picked up with one refetch") {
  World w;
  auto anna = w.remote(kAnna);
  // First contact caches the old key.
  REQUIRE(w.accept(w.cavage_post(anna, follow_body())));
  REQUIRE(w.transport.fetches(kAnna) == 1);
  // The actor rotates its key; our cached copy is still fresh, so only a failed check refetches.
  auto rotated = anna;
  rotated.keys = test::rsa_key(kAnna + "#rotated");
  w.transport.answer(kAnna, 200, test::ActorDocument(kAnna, rotated.keys.public_pem).json());
  w.now += 60'000;
  auto r = w.accept(w.cavage_post(rotated, follow_body("https://remote.example/f/2")));
  REQUIRE(r);
  CHECK(w.transport.fetches(kAnna) == 2);
  CHECK(queued(w) == 2);

  SECTION("a second bad signature within the interval does not refetch again") {
    auto stranger = anna;  // signs with the old key, which is no longer valid
    auto bad = w.accept(w.cavage_post(stranger, follow_body("https://remote.example/f/3")));
    REQUIRE_FALSE(bad);
    CHECK(bad.error() == SignatureError::bad_signature);
    CHECK(w.transport.fetches(kAnna) == 2);
  }
}

TEST_CASE("inbox: a redelivered activity is accepted once") {
  World w;
  auto anna = w.remote(kAnna);
  REQUIRE(w.accept(w.cavage_post(anna, follow_body())));
  auto again = w.accept(w.cavage_post(anna, follow_body()));
  REQUIRE(again);
  CHECK(again->duplicate);
  CHECK(again->item_id == 0);
  CHECK(queued(w) == 1);
}

TEST_CASE("inbox: malformed JSON with a good signature is refused with 400, nothing stored") {
  World w;
  auto anna = w.remote(kAnna);
  auto r = w.accept(w.cavage_post(anna, "{\"id\": "));
  REQUIRE_FALSE(r);
  CHECK(kind_of(r.error()) == ErrorKind::invalid_input);
  CHECK(queued(w) == 0);

  auto no_actor =
      w.accept(w.cavage_post(anna, R"({"id":"https://remote.example/x","type":"Like"})"));
  REQUIRE_FALSE(no_actor);
  CHECK(kind_of(no_actor.error()) == ErrorKind::invalid_input);
  CHECK(queued(w) == 0);
}

TEST_CASE("inbox: a blocked domain is refused with 403 without fetching its key") {
  federation::InboxSettings settings;
  settings.blocks = std::make_shared<federation::BlockList>(
      std::vector{federation::config_domain_rule("Remote.Example")});
  World w(settings);
  auto anna = w.remote("https://social.remote.example/users/anna");
  auto r =
      w.accept(w.cavage_post(anna, test::follow_json("https://social.remote.example/f/1", anna.uri,
                                                     "https://town.example/users/gemeente")));
  REQUIRE_FALSE(r);
  CHECK(r.error() == FederationError::blocked_domain);
  CHECK(kind_of(r.error()) == ErrorKind::forbidden);
  CHECK(w.transport.requests.empty());
  CHECK(queued(w) == 0);
  CHECK(w.inbox->admit("https://notremote.example/users/x"));
}

TEST_CASE("inbox: an actor document whose id differs from its URL is refused") {
  World w;
  auto anna = w.remote(kAnna, false);
  // remote.example serves a copy of someone else's actor carrying anna's key.
  test::ActorDocument other("https://remote.example/users/other", anna.keys.public_pem);
  other.key_id = anna.key_id;
  w.transport.answer(kAnna, 200, other.json());
  auto r = w.accept(w.cavage_post(anna, follow_body()));
  REQUIRE_FALSE(r);
  CHECK(r.error() == FederationError::key_unavailable);
  CHECK(queued(w) == 0);
  auto direct = w.run([&] { return w.resolver->resolve(kAnna); });
  REQUIRE_FALSE(direct);
  CHECK(direct.error() == FederationError::id_mismatch);
}

TEST_CASE("inbox: a personal inbox of an unknown account is 404") {
  World w;
  auto anna = w.remote(kAnna);
  auto in = w.cavage_post(anna, follow_body(), "/users/nobody/inbox");
  in.username = "nobody";
  auto r = w.accept(in);
  REQUIRE_FALSE(r);
  CHECK(kind_of(r.error()) == ErrorKind::not_found);
  CHECK(queued(w) == 0);
}

TEST_CASE("inbox: Delete of an unknown actor whose key is gone is accepted and dropped") {
  World w;
  auto gone = w.remote("https://remote.example/users/gone", false);
  w.transport.answer(gone.uri, 410, "{}");
  const std::string body = R"({"id":")" + gone.uri + R"(#delete","type":"Delete","actor":")" +
                           gone.uri + R"(","object":")" + gone.uri + R"("})";
  auto r = w.accept(w.cavage_post(gone, body, "/inbox"));
  REQUIRE(r);
  CHECK(r->dropped);
  CHECK(queued(w) == 0);

  SECTION("but any other activity from that key is still refused") {
    auto other =
        w.accept(w.cavage_post(gone, test::follow_json(gone.uri + "#f", gone.uri, w.local.uri)));
    REQUIRE_FALSE(other);
    CHECK(kind_of(other.error()) == ErrorKind::unauthorized);
  }
}

TEST_CASE("inbox: a key fetch refused by our own per-host cap asks the sender to retry") {
  // A burst of first contacts from one server: more of its keys than fetches_per_host are in
  // flight. That is no authentication failure, and every sender retries a 503.
  World w;
  auto anna = w.remote(kAnna, /*serve=*/false);
  w.transport.fail(kAnna, federation::http::HttpError::host_busy);
  auto r = w.accept(w.cavage_post(anna, follow_body()));
  REQUIRE_FALSE(r);
  CHECK(r.error() == FederationError::key_fetch_busy);
  CHECK(kind_of(r.error()) == ErrorKind::transient);
  CHECK(queued(w) == 0);

  // Any other failure to obtain the key stays a 401.
  World other;
  auto ben = other.remote(kAnna, /*serve=*/false);
  other.transport.fail(kAnna, federation::http::HttpError::connect_failed);
  auto refused = other.accept(other.cavage_post(ben, follow_body()));
  REQUIRE_FALSE(refused);
  CHECK(refused.error() == FederationError::key_unavailable);
}
