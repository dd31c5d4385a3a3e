// The Ed25519 keys behind integrity proofs (FEP-8b32, FEDERATION.md "Integrity proofs"): each
// local actor has one, published in its actor document as a FEP-521a Multikey under
// `assertionMethod` with the id `<actor>#ed25519-key`, and every activity enqueue_activity queues for
// that actor carries a DataIntegrityProof (eddsa-jcs-2022) made with it, so that a copy forwarded
// by someone else can still be believed. The private key is stored as PKCS#8 PEM in
// local_assertion_keys (like the RSA key in local_keys) and never leaves that table.
#pragma once

#include "federation/as2/json.hpp"
#include "storage/connection.hpp"
#include "storage/database.hpp"
#include "common/error_kind.hpp"
#include "storage/records.hpp"

#include <rapidjson/document.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace civicpub::federation {

using as2::kAssertionKeyFragment;  // "#ed25519-key"
inline constexpr std::string_view kMultikeyType = "Multikey";

// "<actor>#ed25519-key": the Multikey's id, which is the proofs' verificationMethod. It
// dereferences to the actor document (the fragment is dropped), which lists the key.
std::string assertion_key_id(std::string_view actor_uri);

// A fresh key for `actor_id`, not stored. Throws only when OpenSSL itself fails (like RSA key
// generation).
storage::LocalAssertionKeyRecord new_assertion_key(std::int64_t actor_id, storage::Millis now);

// The actor's key, made and stored when it has none yet (accounts created before keys existed).
// Inside a write job. Errors: storage errors.
Result<storage::LocalAssertionKeyRecord> ensure_assertion_key(storage::Connection& conn,
                                                              std::int64_t actor_id,
                                                              storage::Millis now);

// At start-up: gives every live local actor without a key one. Returns how many were made.
Result<std::size_t> ensure_assertion_keys(storage::Database& db, storage::Millis now);

// The Multikey (`z6Mk...`) a local actor publishes; nullopt when it has no key yet.
Result<std::optional<std::string>> local_assertion_multikey(storage::Connection& conn,
                                                            std::int64_t actor_id);

// Signs an activity enqueue_activity queues for the local actor `actor_id` (inside the write job):
// when the body is a JSON object whose `actor` is that actor and that has no `proof` yet, adds
// the data-integrity/v2 context to its `@context` and a DataIntegrityProof (eddsa-jcs-2022,
// verificationMethod assertion_key_id(actor), created `now`) and returns the new text; any other
// body is returned unchanged. The key is made on first use. Errors: storage errors, those of
// as2::add_proof, CryptoError for a stored key that cannot be read.
Result<std::string> add_activity_proof(storage::Connection& conn, std::int64_t actor_id,
                                       std::string_view body, storage::Millis now);

// A FEP-521a key found in an actor document.
struct AssertionKey {
  std::string key_id;
  std::string controller;
  std::string public_key;  // 32 raw Ed25519 bytes
};

// The Multikey with id `key_id` among the document's `assertionMethod` entries (an object or an
// array of them; entries given by id only are skipped). nullopt when there is none, or when it
// is not an Ed25519 Multikey.
std::optional<AssertionKey> find_assertion_key(const rapidjson::Value& actor_doc,
                                               std::string_view key_id);

}  // namespace civicpub::federation
