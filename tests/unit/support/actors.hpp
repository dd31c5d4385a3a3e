// The named actors of the test world and their keys, in one place: the remote people the tests
// talk to, the RSA and Ed25519 key pairs everyone signs with, the actor documents and WebFinger
// answers their servers serve, and local accounts stored with a signing key.
#pragma once

#include "federation/crypto/ed25519.hpp"
#include "federation/crypto/multibase.hpp"
#include "federation/crypto/rsa_key.hpp"
#include "storage/actors.hpp"
#include "storage/database.hpp"
#include "storage/local_keys.hpp"
#include "tests/unit/support/catch_result.hpp"
#include "tests/unit/support/records.hpp"

#include <catch2/catch.hpp>

#include <cctype>
#include <map>
#include <string>
#include <utility>

namespace civicpub::test {

// Who is who. anna and bob are on two Mastodon-like servers; olga's server owns a thread.
inline const std::string kAnnaUri = "https://remote.example/users/anna";
inline const std::string kBobUri = "https://other.example/users/bob";
inline const std::string kOlgaUri = "https://owner.example/users/olga";
inline const std::string kPublicIri = "https://www.w3.org/ns/activitystreams#Public";

// The RSA key pair of `owner` (an actor URI or any name), made once per test process:
// generating a key costs more than most tests. A different name is a different key (name a
// rotated key "<uri>#rotated").
inline const federation::crypto::RsaKeyPair& rsa_key(const std::string& owner) {
  static std::map<std::string, federation::crypto::RsaKeyPair> keys;
  auto found = keys.find(owner);
  if (found == keys.end()) {
    found = keys.emplace(owner, federation::crypto::generate_rsa_key_pair(2048)).first;
  }
  return found->second;
}

// The Ed25519 key pair (FEP-521a assertion key) of `owner`, as rsa_key.
inline const federation::crypto::Ed25519KeyPair& ed25519_key(const std::string& owner) {
  static std::map<std::string, federation::crypto::Ed25519KeyPair> keys;
  auto found = keys.find(owner);
  if (found == keys.end()) {
    found = keys.emplace(owner, federation::crypto::generate_ed25519_key_pair()).first;
  }
  return found->second;
}

// A remote actor that signs its requests: its URI, key id and RSA key pair.
struct RemoteActor {
  std::string uri;
  std::string key_id;
  federation::crypto::RsaKeyPair keys;
};

inline RemoteActor remote_signer(const std::string& uri) {
  return {uri, uri + "#main-key", rsa_key(uri)};
}

inline std::string json_escape_pem(const std::string& pem) {
  std::string out;
  for (char c : pem) {
    if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

// An actor document as a Mastodon-like server serves it: set what a test needs, then json().
struct ActorDocument {
  explicit ActorDocument(std::string id_, std::string public_pem_ = "PEM")
      : id(std::move(id_)), public_pem(std::move(public_pem_)) {}

  std::string id;
  std::string public_pem;    // "PEM" when nothing verifies a signature of this actor
  std::string name;          // empty: the username, capitalised
  std::string key_id;        // empty: <id>#main-key
  bool shared_inbox = true;  // sharedInbox at <origin>/inbox
  // A FEP-521a assertionMethod Multikey (raw Ed25519 public key) at <id>#ed25519-key; empty:
  // none. Its controller is `assertion_controller`, else the actor.
  std::string assertion_key;
  std::string assertion_controller;

  std::string json() const {
    const std::string origin = id.substr(0, id.find('/', id.find("://") + 3));
    const std::string username = id.substr(id.rfind('/') + 1);
    std::string shown = name;
    if (shown.empty() && !username.empty()) {
      shown = username;
      shown[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(shown[0])));
    }
    std::string out =
        R"({"@context":["https://www.w3.org/ns/activitystreams","https://w3id.org/security/v1"],)"
        R"("id":")" +
        id + R"(","type":"Person","preferredUsername":")" + username + R"(","name":")" + shown +
        R"(","summary":"<p>hi</p><script>x()</script>","url":")" + id + R"(/profile","inbox":")" +
        id + R"(/inbox","outbox":")" + id + R"(/outbox","followers":")" + id + R"(/followers",)";
    if (shared_inbox) out += R"("endpoints":{"sharedInbox":")" + origin + R"(/inbox"},)";
    out += R"("publicKey":{"id":")" + (key_id.empty() ? id + "#main-key" : key_id) +
           R"(","owner":")" + id + R"(","publicKeyPem":")" + json_escape_pem(public_pem) + R"("})";
    if (!assertion_key.empty()) {
      auto multikey = federation::crypto::ed25519_public_key_to_multikey(assertion_key);
      REQUIRE(multikey);
      out += R"(,"assertionMethod":[{"id":")" + id + R"(#ed25519-key","type":"Multikey",)" +
             R"("controller":")" + (assertion_controller.empty() ? id : assertion_controller) +
             R"(","publicKeyMultibase":")" + *multikey + R"("}])";
    }
    return out + "}";
  }
};

// A WebFinger answer (JRD) naming `actor_id` for acct:`subject`.
inline std::string jrd_json(const std::string& subject, const std::string& actor_id) {
  return R"({"subject":"acct:)" + subject +
         R"(","links":[{"rel":"http://webfinger.net/rel/profile-page","type":"text/html","href":")" +
         actor_id + R"("},{"rel":"self","type":"application/activity+json","href":")" + actor_id +
         R"("}]})";
}

// Stores a local account with its RSA signing key (rsa_key(uri)); returns it with its id and
// public key set.
inline storage::ActorRecord store_local_actor(storage::Database& db, storage::ActorRecord a) {
  const auto& keys = rsa_key(a.uri);
  a.public_key_pem = keys.public_pem;
  auto id = db.write_sync([&](storage::Connection& c) -> Result<std::int64_t> {
    auto inserted = storage::actors::insert_local(c, a);
    if (!inserted) return inserted;
    auto key = storage::local_keys::insert(
        c, {*inserted, keys.private_pem, keys.public_pem, a.created_at});
    if (!key) return key.error();
    return inserted;
  });
  REQUIRE(id);
  a.id = *id;
  return a;
}

}  // namespace civicpub::test
