// Inbox::accept refuses what cannot be valid before it fetches any key (issue 11 items 4 and 6):
// too little signed, a signature made for another server's Host, a stale Date, a Digest or
// Content-Digest that does not match the body. The fake transport records every request, so
// "no fetch" is checked, not assumed.
#include "tests/unit/support/inbox_fixtures.hpp"

#include "federation/signatures/signature_error.hpp"
#include "storage/inbox_items.hpp"

using namespace civicpub;
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

// A request signed by anna with the real signer, for `host`, at `now`.
federation::InboundRequest signed_for(World& w, const test::RemoteActor& anna,
                                      const std::string& host,
                                      std::chrono::system_clock::time_point now) {
  federation::InboundRequest in;
  in.method = "POST";
  in.target = "/inbox";
  in.body = follow_body();
  in.headers.add("Content-Type", "application/activity+json");
  federation::signatures::CavageSignInput input{
      "POST", in.target, host, in.body, anna.key_id, anna.keys.private_pem, now};
  REQUIRE(federation::signatures::sign_request(input, in.headers));
  (void)w;
  return in;
}

}  // namespace

TEST_CASE("inbox: a POST signing too little is refused before any key fetch") {
  World w;
  auto anna = w.remote(kAnna);
  auto in = w.cavage_post(anna, follow_body(), "/inbox");
  std::string covered;
  SECTION("only (request-target)") { covered = "(request-target)"; }
  SECTION("no digest") { covered = "(request-target) host date"; }
  SECTION("no host") { covered = "(request-target) date digest"; }
  SECTION("no date nor (created)") { covered = "(request-target) host digest"; }
  in.headers.set("Signature", "keyId=\"" + anna.key_id +
                                  "\",algorithm=\"rsa-sha256\",headers=\"" + covered +
                                  "\",signature=\"AAAA\"");
  auto r = w.accept(in);
  REQUIRE_FALSE(r);
  CHECK(r.error() == SignatureError::header_not_covered);
  CHECK(kind_of(r.error()) == ErrorKind::unauthorized);
  CHECK(w.transport.requests.empty());
  CHECK(queued(w) == 0);
}

TEST_CASE("inbox: a stale or future Date is refused before any key fetch") {
  World w;
  auto anna = w.remote(kAnna);
  SECTION("two hours old") {
    auto r = w.accept(signed_for(w, anna, "town.example", w.time_point() - std::chrono::hours(2)));
    REQUIRE_FALSE(r);
    CHECK(r.error() == SignatureError::date_too_old);
  }
  SECTION("two hours ahead") {
    auto r = w.accept(signed_for(w, anna, "town.example", w.time_point() + std::chrono::hours(2)));
    REQUIRE_FALSE(r);
    CHECK(r.error() == SignatureError::date_in_future);
  }
  CHECK(w.transport.requests.empty());
  CHECK(queued(w) == 0);
}

TEST_CASE("inbox: a Digest or Content-Digest not matching the body is refused before any fetch") {
  World w;
  auto anna = w.remote(kAnna);
  federation::InboundRequest in;
  SECTION("draft-cavage Digest") { in = w.cavage_post(anna, follow_body(), "/inbox"); }
  SECTION("RFC 9421 Content-Digest") { in = w.rfc9421_post(anna, follow_body()); }
  in.body = follow_body("https://remote.example/f/other");
  auto r = w.accept(in);
  REQUIRE_FALSE(r);
  CHECK(r.error() == SignatureError::digest_mismatch);
  CHECK(w.transport.requests.empty());
  CHECK(queued(w) == 0);
}

TEST_CASE("inbox: an RFC 9421 POST without content-digest covered is refused before any fetch") {
  World w;
  auto anna = w.remote(kAnna);
  auto in = w.rfc9421_post(anna, follow_body());
  auto input = in.headers.find("Signature-Input");
  REQUIRE(input);
  std::string weakened = *input;
  const std::string digest = " \"content-digest\"";
  REQUIRE(weakened.find(digest) != std::string::npos);
  weakened.erase(weakened.find(digest), digest.size());
  in.headers.set("Signature-Input", weakened);
  auto r = w.accept(in);
  REQUIRE_FALSE(r);
  CHECK(r.error() == SignatureError::header_not_covered);
  CHECK(w.transport.requests.empty());
}

TEST_CASE("inbox: a POST signed for another server's Host is refused before any fetch") {
  // Issue 11 item 6: anna's signed POST to other.example's inbox, replayed to us.
  World w;
  auto anna = w.remote(kAnna);
  auto r = w.accept(signed_for(w, anna, "other.example", w.time_point()));
  REQUIRE_FALSE(r);
  CHECK(r.error() == SignatureError::wrong_host);
  CHECK(kind_of(r.error()) == ErrorKind::unauthorized);
  CHECK(w.transport.requests.empty());
  CHECK(queued(w) == 0);
}

TEST_CASE("inbox: a POST signed for our host, our handle domain or with the default port") {
  federation::InboxSettings settings;
  World w(settings);
  w.instance.handle_domain = "town.example.org";
  w.inbox = std::make_unique<federation::Inbox>(*w.db, *w.resolver, w.instance, w.clock, settings,
                                                w.log);
  auto anna = w.remote(kAnna);
  std::string host;
  SECTION("the host") { host = "town.example"; }
  SECTION("the host, other case, default port") { host = "Town.Example:443"; }
  SECTION("the handle domain") { host = "town.example.org"; }
  REQUIRE(w.accept(signed_for(w, anna, host, w.time_point())));
  CHECK(queued(w) == 1);
}

TEST_CASE("inbox: an RFC 9421 signature made for another authority does not verify") {
  // Its base is built from our own authority, so a signature for another one fails.
  World w;
  auto anna = w.remote(kAnna);
  federation::InboundRequest in;
  in.method = "POST";
  in.target = "/inbox";
  in.body = follow_body();
  in.headers.add("Content-Type", "application/activity+json");
  federation::signatures::MessageSignInput input{
      "POST",      "/inbox",    {"https", "other.example"}, in.body, anna.key_id,
      anna.keys.private_pem, w.time_point()};
  REQUIRE(federation::signatures::sign_message(input, in.headers));
  auto r = w.accept(in);
  REQUIRE_FALSE(r);
  CHECK(r.error() == SignatureError::bad_signature);
  CHECK(queued(w) == 0);
}
