// Local actors' FEP-521a assertion keys (federation/keys/assertion_key): made once for accounts
// that predate them, published in the actor document as a Multikey, found there by id.
#include "federation/keys/assertion_key.hpp"

#include "federation/as2/actor.hpp"
#include "federation/as2/reader.hpp"
#include "federation/convert/actor.hpp"
#include "federation/crypto/ed25519.hpp"
#include "tests/unit/support/inbox_fixtures.hpp"
#include "tests/unit/support/json.hpp"

using namespace civicpub;

using civicpub::test::parse;

namespace {

namespace as2 = federation::as2;
namespace crypto = federation::crypto;

// The Multikey the actor document of `actor_id` publishes; empty: none yet.
std::string published_key(test::World& w, std::int64_t actor_id) {
  return w.read([&](storage::Connection& c) -> Result<std::string> {
    auto key = federation::local_assertion_multikey(c, actor_id);
    if (!key) return key.error();
    return key->value_or(std::string());
  });
}

}  // namespace

TEST_CASE("proofs: accounts made before keys existed get one once at start-up") {
  test::World w;  // gemeente and the instance actor were stored without an Ed25519 key
  CHECK(published_key(w, w.local.id).empty());
  auto made = federation::ensure_assertion_keys(*w.db, test::kNow);
  REQUIRE(made);
  CHECK(*made == 2);
  const auto published = published_key(w, w.local.id);
  CHECK(published.starts_with("z6Mk"));
  CHECK(federation::ensure_assertion_keys(*w.db, test::kNow).value() == 0);
  CHECK(published_key(w, w.local.id) == published);
}

TEST_CASE("proofs: the published Multikey is found by its id and controlled by the actor") {
  test::World w;
  REQUIRE(federation::ensure_assertion_keys(*w.db, test::kNow));
  as2::ActorExtras extras;
  extras.assertion_key = published_key(w, w.local.id);
  const auto doc = parse(federation::convert::render_actor(w.local, w.instance, extras));
  const auto key_id = federation::assertion_key_id(w.local.uri);
  CHECK(key_id == w.local.uri + "#ed25519-key");
  auto key = federation::find_assertion_key(doc, key_id);
  REQUIRE(key);
  CHECK(key->controller == w.local.uri);
  CHECK(key->public_key.size() == crypto::kEd25519KeyBytes);
  CHECK_FALSE(federation::find_assertion_key(doc, w.local.uri + "#main-key"));
}
