#include "server/services/accounts.hpp"

#include "federation/crypto/ed25519.hpp"
#include "federation/crypto/multibase.hpp"
#include "storage/actors.hpp"
#include "storage/assertion_keys.hpp"
#include "storage/local_keys.hpp"
#include "tests/unit/support/catch_result.hpp"

#include <catch2/catch.hpp>

using namespace civicpub;
using server::services::AccountError;
using server::services::AccountType;

namespace {

std::unique_ptr<storage::Database> memory_db() {
  auto opened = storage::Database::open({});
  REQUIRE(opened.has_value());
  return std::move(*opened);
}

const server::services::AccountSettings kSettings{"https://town.example", "town.example"};

server::services::NewAccount account(std::string name, AccountType type = AccountType::person) {
  return {std::move(name), type, "", "", 1700000000000};
}

}  // namespace

TEST_CASE("accounts: every URI is derived from the base URL and the key is stored") {
  auto db = memory_db();
  auto input = account("gemeente", AccountType::organization);
  input.display_name = "Gemeente Voorbeeld";
  input.summary = "Wij <3 de stad\n\nTweede & laatste";
  auto created = server::services::create_local_account(*db, kSettings, input);
  REQUIRE(created.has_value());
  CHECK(created->id > 0);
  CHECK(created->local);
  CHECK(created->type == "Organization");
  CHECK(created->domain == "town.example");
  CHECK(created->display_name == "Gemeente Voorbeeld");
  CHECK(created->summary_html == "<p>Wij &lt;3 de stad</p><p>Tweede &amp; laatste</p>");
  CHECK(created->uri == "https://town.example/users/gemeente");
  CHECK(created->inbox == "https://town.example/users/gemeente/inbox");
  CHECK(created->outbox == "https://town.example/users/gemeente/outbox");
  CHECK(created->followers == "https://town.example/users/gemeente/followers");
  CHECK(created->following == "https://town.example/users/gemeente/following");
  CHECK(created->shared_inbox == "https://town.example/inbox");
  CHECK(created->url == "https://town.example/@gemeente");
  CHECK(created->key_id == "https://town.example/users/gemeente#main-key");
  CHECK(created->created_at == 1700000000000);
  CHECK(created->public_key_pem.starts_with("-----BEGIN PUBLIC KEY-----"));

  auto stored = db->read([&](storage::Connection& c) {
    return storage::actors::find_local_by_username(c, "gemeente");
  });
  REQUIRE(stored.has_value());
  REQUIRE(stored->has_value());
  CHECK((*stored)->uri == created->uri);
  auto key = db->read(
      [&](storage::Connection& c) { return storage::local_keys::find_by_actor(c, created->id); });
  REQUIRE(key.has_value());
  REQUIRE(key->has_value());
  CHECK((*key)->public_key_pem == created->public_key_pem);
  CHECK((*key)->private_key_pem.starts_with("-----BEGIN PRIVATE KEY-----"));
}

TEST_CASE("accounts: the display name defaults to the username") {
  auto db = memory_db();
  auto created = server::services::create_local_account(*db, kSettings, account("alice"));
  REQUIRE(created.has_value());
  CHECK(created->display_name == "alice");
  CHECK(created->type == "Person");
  CHECK(created->summary_html.empty());
}

TEST_CASE("accounts: a taken username is a conflict, not a crash") {
  auto db = memory_db();
  REQUIRE(server::services::create_local_account(*db, kSettings, account("alice")).has_value());
  auto again = server::services::create_local_account(*db, kSettings, account("alice"));
  REQUIRE_FALSE(again.has_value());
  CHECK(again.error() == AccountError::username_taken);
  CHECK(kind_of(again.error()) == ErrorKind::conflict);
}

TEST_CASE("accounts: usernames are [a-z0-9_]{1,30}") {
  auto db = memory_db();
  for (const char* bad :
       {"", "Alice", "al ice", "al-ice", "al.ice", "ålice", "a234567890123456789012345678901"}) {
    INFO(bad);
    auto r = server::services::create_local_account(*db, kSettings, account(bad));
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error() == AccountError::invalid_username);
    CHECK(kind_of(r.error()) == ErrorKind::invalid_input);
  }
  CHECK(server::services::is_valid_username("a23456789012345678901234567890"));
  CHECK(server::services::is_valid_username("team_2"));
}

TEST_CASE("accounts: the instance actor is created once and its name is reserved") {
  auto db = memory_db();
  auto first = server::services::ensure_instance_actor(*db, kSettings, "Town");
  REQUIRE(first.has_value());
  CHECK(first->type == "Application");
  CHECK(first->username == server::services::kInstanceActorUsername);
  CHECK(first->uri == "https://town.example/users/instance");
  auto second = server::services::ensure_instance_actor(*db, kSettings, "Town");
  REQUIRE(second.has_value());
  CHECK(second->id == first->id);
  CHECK(second->public_key_pem == first->public_key_pem);
  auto taken = server::services::create_local_account(*db, kSettings, account("instance"));
  REQUIRE_FALSE(taken.has_value());
  CHECK(taken.error() == AccountError::username_taken);
}

TEST_CASE("accounts: only person, organization and service are account types") {
  CHECK(server::services::parse_account_type("person") == AccountType::person);
  CHECK(server::services::parse_account_type("organization") == AccountType::organization);
  CHECK(server::services::parse_account_type("service") == AccountType::service);
  CHECK_FALSE(server::services::parse_account_type("application"));
  CHECK_FALSE(server::services::parse_account_type("Person"));
}

TEST_CASE("accounts: a new account gets an Ed25519 assertion key with its RSA key") {
  namespace crypto = federation::crypto;
  auto db = memory_db();
  auto created = server::services::create_local_account(*db, kSettings, account("mayor"));
  REQUIRE(created);
  auto key = db->read(
      [&](storage::Connection& c) { return storage::assertion_keys::find_local(c, created->id); });
  REQUIRE(key.has_value());
  REQUIRE(key->has_value());
  const auto& stored = **key;
  CHECK(stored.public_key_multibase.starts_with("z6Mk"));
  auto raw = crypto::ed25519_private_key_from_pem(stored.private_key_pem);
  REQUIRE(raw);
  auto public_key = crypto::ed25519_public_key_of(*raw);
  REQUIRE(public_key);
  CHECK(crypto::ed25519_public_key_to_multikey(*public_key).value() == stored.public_key_multibase);
}
