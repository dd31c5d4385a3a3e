// The named actors of the test world as storage records, before they are stored: a local account
// with every URI derived the way server/services/accounts.cpp derives them, and a remote person
// as the actor resolver stores one. Storage-only, so the storage tests share them too; keys and
// the documents peers serve are in actors.hpp.
#pragma once

#include "storage/records.hpp"

#include <string>

namespace civicpub::test {

// A local account under `origin` (scheme and authority, e.g. "https://town.example").
inline storage::ActorRecord local_actor(const std::string& name,
                                        const std::string& origin = "https://town.example") {
  storage::ActorRecord a;
  const std::string base = origin + "/users/" + name;
  a.uri = base;
  a.local = true;
  a.type = "Person";
  a.username = name;
  a.domain = origin.substr(origin.find("://") + 3);
  a.display_name = "The " + name;
  a.inbox = base + "/inbox";
  a.shared_inbox = origin + "/inbox";
  a.outbox = base + "/outbox";
  a.followers = base + "/followers";
  a.following = base + "/following";
  a.url = origin + "/@" + name;
  a.key_id = base + "#main-key";
  a.public_key_pem = "PUBLIC " + name;
  a.created_at = a.updated_at = 1000;
  return a;
}

// A remote person at https://<host>/users/<name>, with a shared inbox at https://<host>/inbox
// (clear `shared_inbox` for a server without one).
inline storage::ActorRecord remote_actor(const std::string& host, const std::string& name) {
  storage::ActorRecord a;
  const std::string base = "https://" + host + "/users/" + name;
  a.uri = base;
  a.type = "Person";
  a.username = name;
  a.domain = host;
  a.inbox = base + "/inbox";
  a.shared_inbox = "https://" + host + "/inbox";
  a.followers = base + "/followers";
  a.key_id = base + "#main-key";
  a.public_key_pem = "PUBLIC " + name + "@" + host;
  a.raw_json = "{}";
  a.created_at = a.updated_at = a.fetched_at = 2000;
  return a;
}

}  // namespace civicpub::test
