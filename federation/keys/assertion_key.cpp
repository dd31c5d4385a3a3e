#include "federation/keys/assertion_key.hpp"

#include "federation/as2/integrity_proof.hpp"
#include "federation/as2/json.hpp"
#include "federation/as2/reader.hpp"
#include "federation/crypto/ed25519.hpp"
#include "federation/crypto/multibase.hpp"
#include "federation/remote/post_store.hpp"
#include "storage/actors.hpp"
#include "storage/assertion_keys.hpp"
#include "storage/errors.hpp"

#include <stdexcept>

namespace civicpub::federation {
namespace {

using rapidjson::Value;

constexpr std::string_view kDataIntegrityPrefix = "https://w3id.org/security/data-integrity/";

bool is_data_integrity_context(const Value& entry) {
  return entry.IsString() && std::string_view(entry.GetString(), entry.GetStringLength())
                                 .starts_with(kDataIntegrityPrefix);
}

// Whether a @context value (a string, or an array of strings and objects) lists a
// data-integrity context; its URL in `found`.
bool lists_data_integrity(const Value& context, std::string& found) {
  if (is_data_integrity_context(context)) {
    found.assign(context.GetString(), context.GetStringLength());
    return true;
  }
  if (!context.IsArray()) return false;
  for (const auto& entry : context.GetArray()) {
    if (lists_data_integrity(entry, found)) return true;
  }
  return false;
}

// The data-integrity context to list: the one an embedded activity lists (a group's Announce
// embeds its member's activity unchanged, FEP-1b12), else ours. Both data-integrity/v1
// (Fedify's) and v2 (ours) are @protected and define DataIntegrityProof differently: an
// embedded v1 inside a v2 document is invalid JSON-LD ("protected term redefinition"), and
// Fedify answers the whole Announce with 400. The same context twice is valid.
std::string data_integrity_context_for(const rapidjson::Document& doc) {
  std::string found(as2::kDataIntegrityContext);
  auto object = doc.FindMember("object");
  if (object == doc.MemberEnd() || !object->value.IsObject()) return found;
  auto context = object->value.FindMember("@context");
  if (context != object->value.MemberEnd()) lists_data_integrity(context->value, found);
  return found;
}

// Appends the data-integrity context to the document's @context (a string becomes an array),
// unless it lists one already. A document without @context gets the ActivityStreams one first.
void add_data_integrity_context(rapidjson::Document& doc) {
  auto& alloc = doc.GetAllocator();
  const std::string di = data_integrity_context_for(doc);
  Value di_value(di.data(), static_cast<rapidjson::SizeType>(di.size()), alloc);
  auto it = doc.FindMember("@context");
  if (it == doc.MemberEnd()) {
    Value list(rapidjson::kArrayType);
    const auto as = as2::kActivityStreams;
    list.PushBack(Value(as.data(), static_cast<rapidjson::SizeType>(as.size()), alloc), alloc);
    list.PushBack(di_value, alloc);
    // @context first, as every renderer writes it.
    Value copy(rapidjson::kObjectType);
    copy.AddMember("@context", list, alloc);
    for (auto& m : doc.GetObject()) copy.AddMember(m.name, m.value, alloc);
    Value& root = doc;  // Document::Swap takes only another Document
    root.Swap(copy);
    return;
  }
  Value& context = it->value;
  std::string listed;
  if (lists_data_integrity(context, listed)) return;
  if (context.IsArray()) {
    context.PushBack(di_value, alloc);
    return;
  }
  Value list(rapidjson::kArrayType);
  list.PushBack(context, alloc);  // moves the old value
  list.PushBack(di_value, alloc);
  context = list;
}

std::optional<std::string> string_member(const Value& object, std::string_view name) {
  const Value* v = as2::find_member(object, name);
  if (!v || !v->IsString()) return std::nullopt;
  return std::string(v->GetString(), v->GetStringLength());
}

std::optional<AssertionKey> read_multikey(const Value& entry, std::string_view key_id) {
  if (!entry.IsObject() || as2::member_id(entry, "id") != key_id) return std::nullopt;
  if (!as2::has_type(entry, kMultikeyType)) return std::nullopt;
  auto controller = as2::member_id(entry, "controller");
  auto multibase = string_member(entry, "publicKeyMultibase");
  if (!controller || !multibase) return std::nullopt;
  auto raw = crypto::ed25519_public_key_from_multikey(*multibase);
  if (!raw) return std::nullopt;
  return AssertionKey{std::string(key_id), std::move(*controller), std::move(*raw)};
}

}  // namespace

std::string assertion_key_id(std::string_view actor_uri) {
  return std::string(actor_uri) + std::string(kAssertionKeyFragment);
}

storage::LocalAssertionKeyRecord new_assertion_key(std::int64_t actor_id, storage::Millis now) {
  auto pair = crypto::generate_ed25519_key_pair();
  auto pem = crypto::ed25519_private_key_to_pem(pair.private_key);
  auto multikey = crypto::ed25519_public_key_to_multikey(pair.public_key);
  if (!pem || !multikey) throw std::runtime_error("cannot encode a new Ed25519 key");
  return {actor_id, std::move(*pem), std::move(*multikey), now};
}

Result<storage::LocalAssertionKeyRecord> ensure_assertion_key(storage::Connection& conn,
                                                              std::int64_t actor_id,
                                                              storage::Millis now) {
  auto found = storage::assertion_keys::find_local(conn, actor_id);
  if (!found) return found.error();
  if (*found) return std::move(**found);
  // Ed25519 key generation takes microseconds: fine on the writer thread.
  auto key = new_assertion_key(actor_id, now);
  if (auto stored = storage::assertion_keys::insert_local(conn, key); !stored) {
    return stored.error();
  }
  return key;
}

Result<std::size_t> ensure_assertion_keys(storage::Database& db, storage::Millis now) {
  return db.write_sync([now](storage::Connection& conn) -> Result<std::size_t> {
    auto locals = storage::actors::list_local(conn);
    if (!locals) return locals.error();
    std::size_t made = 0;
    for (const auto& actor : *locals) {
      if (actor.deleted_at) continue;
      auto found = storage::assertion_keys::find_local(conn, actor.id);
      if (!found) return found.error();
      if (*found) continue;
      if (auto key = ensure_assertion_key(conn, actor.id, now); !key) return key.error();
      ++made;
    }
    return made;
  });
}

Result<std::optional<std::string>> local_assertion_multikey(storage::Connection& conn,
                                                            std::int64_t actor_id) {
  auto found = storage::assertion_keys::find_local(conn, actor_id);
  if (!found) return found.error();
  if (!*found) return std::optional<std::string>{};
  return std::optional<std::string>((*found)->public_key_multibase);
}

Result<std::string> add_activity_proof(storage::Connection& conn, std::int64_t actor_id,
                                       std::string_view body, storage::Millis now) {
  auto doc = as2::parse_json(body);
  if (!doc || !doc->IsObject() || doc->HasMember("proof")) return std::string(body);
  const auto actor_uri = as2::member_id(*doc, "actor");
  if (!actor_uri) return std::string(body);
  auto actor = storage::actors::find_by_id(conn, actor_id);
  if (!actor) return actor.error();
  if (!*actor || !(*actor)->local || (*actor)->uri != *actor_uri) return std::string(body);

  auto key = ensure_assertion_key(conn, actor_id, now);
  if (!key) return key.error();
  auto private_key = crypto::ed25519_private_key_from_pem(key->private_key_pem);
  if (!private_key) return private_key.error();
  add_data_integrity_context(*doc);
  as2::ProofOptions options;
  options.verification_method = assertion_key_id(*actor_uri);
  options.created = as2::proof_created(now);
  if (auto proven = as2::add_proof(*doc, *private_key, options); !proven) return proven.error();
  return to_json_text(*doc);
}

std::optional<AssertionKey> find_assertion_key(const Value& actor_doc, std::string_view key_id) {
  if (!actor_doc.IsObject()) return std::nullopt;
  const Value* methods = as2::find_member(actor_doc, as2::kAssertionMethod);
  if (!methods) return std::nullopt;
  if (methods->IsArray()) {
    for (const auto& entry : methods->GetArray()) {
      if (auto key = read_multikey(entry, key_id)) return key;
    }
    return std::nullopt;
  }
  return read_multikey(*methods, key_id);
}

}  // namespace civicpub::federation
