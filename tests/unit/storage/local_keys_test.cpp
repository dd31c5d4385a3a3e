#include "tests/unit/storage/fixtures.hpp"
#include "storage/actors.hpp"
#include "storage/local_keys.hpp"

using namespace civicpub::storage;

TEST_CASE("local_keys: insert and find_by_actor") {
  auto conn = test::memory_db();
  auto id = actors::insert_local(conn, test::local_actor("mayor")).value();
  REQUIRE(local_keys::insert(conn, {id, "PRIVATE", "PUBLIC", 123}));
  auto key = local_keys::find_by_actor(conn, id).value();
  REQUIRE(key);
  CHECK(key->actor_id == id);
  CHECK(key->private_key_pem == "PRIVATE");
  CHECK(key->public_key_pem == "PUBLIC");
  CHECK(key->created_at == 123);
  CHECK_FALSE(local_keys::find_by_actor(conn, id + 1).value());
}

TEST_CASE("local_keys: a second key is a conflict, an unknown actor a constraint error") {
  auto conn = test::memory_db();
  auto id = actors::insert_local(conn, test::local_actor("mayor")).value();
  REQUIRE(local_keys::insert(conn, {id, "A", "B", 1}));
  CHECK(local_keys::insert(conn, {id, "C", "D", 2}).error() == Errc::conflict);
  CHECK(local_keys::insert(conn, {id + 100, "C", "D", 2}).error() == Errc::constraint);
  CHECK(local_keys::find_by_actor(conn, id).value()->private_key_pem == "A");
}
