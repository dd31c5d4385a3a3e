#include "storage/assertion_keys.hpp"
#include "tests/unit/storage/fixtures.hpp"
#include "storage/actors.hpp"

using namespace civicpub::storage;

TEST_CASE("assertion_keys: a local actor's key is stored once and needs its actor") {
  auto conn = test::memory_db();
  auto id = actors::insert_local(conn, test::local_actor("mayor")).value();
  CHECK_FALSE(assertion_keys::find_local(conn, id).value());
  REQUIRE(assertion_keys::insert_local(conn, {id, "PEM", "z6MkA", 123}));
  auto key = assertion_keys::find_local(conn, id).value();
  REQUIRE(key);
  CHECK(key->actor_id == id);
  CHECK(key->private_key_pem == "PEM");
  CHECK(key->public_key_multibase == "z6MkA");
  CHECK(key->created_at == 123);
  CHECK(assertion_keys::insert_local(conn, {id, "PEM2", "z6MkB", 124}).error() == Errc::conflict);
  CHECK(assertion_keys::insert_local(conn, {id + 100, "P", "z", 1}).error() == Errc::constraint);
  CHECK(assertion_keys::find_local(conn, id).value()->public_key_multibase == "z6MkA");
}

TEST_CASE("assertion_keys: a local key goes with its actor") {
  auto conn = test::memory_db();
  auto id = actors::insert_local(conn, test::local_actor("mayor")).value();
  REQUIRE(assertion_keys::insert_local(conn, {id, "PEM", "z6MkA", 1}));
  REQUIRE(conn.exec("DELETE FROM actors WHERE id = " + std::to_string(id)));
  CHECK_FALSE(assertion_keys::find_local(conn, id).value());
}

TEST_CASE("assertion_keys: remote keys are upserted by key id and removed") {
  auto conn = test::memory_db();
  const std::string key_id = "https://far.example/users/alice#ed25519-key";
  CHECK_FALSE(assertion_keys::find_remote(conn, key_id).value());
  REQUIRE(assertion_keys::upsert_remote(
      conn, {key_id, "https://far.example/users/alice", "z6MkOld", 10}));
  REQUIRE(assertion_keys::upsert_remote(
      conn, {key_id, "https://far.example/users/alice", "z6MkNew", 20}));
  auto key = assertion_keys::find_remote(conn, key_id).value();
  REQUIRE(key);
  CHECK(key->actor_uri == "https://far.example/users/alice");
  CHECK(key->public_key_multibase == "z6MkNew");
  CHECK(key->fetched_at == 20);
  CHECK_FALSE(assertion_keys::find_remote(conn, key_id + "x").value());
  REQUIRE(assertion_keys::remove_remote(conn, key_id));
  CHECK_FALSE(assertion_keys::find_remote(conn, key_id).value());
  CHECK(assertion_keys::remove_remote(conn, key_id));  // already gone: fine
}
