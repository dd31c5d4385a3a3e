// Plain records exchanged with the storage layer. Times are Unix milliseconds (UTC).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace civicpub::storage {

using Millis = std::int64_t;

// A local or remote ActivityPub actor. For local actors every URI is derived from the instance
// base URL once, at creation, and stored: ids never change afterwards.
struct ActorRecord {
  std::int64_t id = 0;          // row id
  std::string uri;              // the ActivityPub id
  bool local = false;
  std::string type;             // Person, Organization, Service, Application, Group
  std::string username;         // preferredUsername (local: unique, lowercase)
  std::string domain;           // handle domain (host[:port]) for @username@domain
  std::string display_name;
  std::string summary_html;
  std::string inbox;
  std::string shared_inbox;     // may be empty
  std::string outbox;
  std::string followers;
  std::string following;
  std::string url;              // HTML profile
  std::string key_id;           // <uri>#main-key
  std::string public_key_pem;   // RSA, SPKI PEM
  bool manually_approves_followers = false;
  bool discoverable = true;
  std::string raw_json;         // remote actors: the document as fetched
  Millis created_at = 0;
  Millis updated_at = 0;
  Millis fetched_at = 0;        // remote actors: last fetch
  std::optional<Millis> deleted_at;
};

// The private half of a local actor's key pair. Lives only in `local_keys`; never copied into
// delivery rows or any other table.
struct LocalKeyRecord {
  std::int64_t actor_id = 0;
  std::string private_key_pem;  // RSA-2048, PKCS#8 PEM
  std::string public_key_pem;   // RSA, SPKI PEM (same as the actor's)
  Millis created_at = 0;
};

}  // namespace civicpub::storage
