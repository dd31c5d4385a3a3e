// Reading a fetched actor (or key) document into an ActorRecord, with the origin checks that
// keep one server from speaking for another (INTEROP.md sections 1 and 4): the document's id must
// be the URL we asked for, and its inbox and key must live on the same origin.
#pragma once

#include "common/error_kind.hpp"
#include "storage/records.hpp"

#include <rapidjson/document.h>

#include <optional>
#include <string>
#include <string_view>

namespace civicpub::federation {

// Person, Organization, Service, Group, Application.
bool is_actor_type(std::string_view type);

// The `owner` of a standalone key document (type Key / CryptographicKey, or any object with
// `owner` and `publicKeyPem`), as some servers serve at a key id without fragment.
std::optional<std::string> key_owner(const rapidjson::Value& doc);

// Maps an actor document. `requested` is the URL it was fetched from (fragment stripped): the
// document's id must equal it. `preferred_key_id`, when not empty, picks that key among several.
// Summary HTML is sanitized. Times are left 0; the resolver sets them. Errors
// (FederationError): not_an_actor, id_mismatch, origin_mismatch.
Result<storage::ActorRecord> read_actor_document(const rapidjson::Value& doc,
                                                 std::string_view raw_json,
                                                 std::string_view requested,
                                                 std::string_view preferred_key_id = {});

}  // namespace civicpub::federation
