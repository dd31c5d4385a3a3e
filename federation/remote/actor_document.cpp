#include "federation/remote/actor_document.hpp"
#include "federation/http/urls.hpp"

#include "federation/as2/reader.hpp"
#include "federation/federation_error.hpp"
#include "federation/http/url_target.hpp"
#include "federation/text/sanitizer.hpp"

#include <array>

namespace civicpub::federation {
namespace {

using rapidjson::Value;

std::optional<std::string> string_member(const Value& object, std::string_view name) {
  const Value* v = as2::find_member(object, name);
  if (!v) return std::nullopt;
  return as2::string_or_first(*v);
}

// The publicKey entry to use: the one with `preferred` as id, else the first usable one.
const Value* pick_key(const Value& doc, std::string_view preferred) {
  const Value* keys = as2::find_member(doc, "publicKey");
  if (!keys) return nullptr;
  const Value* first = nullptr;
  auto consider = [&](const Value& k) {
    if (!k.IsObject() || !as2::member_id(k, "id") || !string_member(k, "publicKeyPem"))
      return false;
    if (!first) first = &k;
    return !preferred.empty() && *as2::member_id(k, "id") == preferred;
  };
  if (keys->IsArray()) {
    for (const auto& k : keys->GetArray()) {
      if (consider(k)) return &k;
    }
    return first;
  }
  consider(*keys);
  return first;
}

}  // namespace

bool is_actor_type(std::string_view type) {
  static constexpr std::array<std::string_view, 5> kTypes = {"Person", "Organization", "Service",
                                                             "Group", "Application"};
  for (auto t : kTypes) {
    if (t == type) return true;
  }
  return false;
}

std::optional<std::string> key_owner(const Value& doc) {
  if (!doc.IsObject()) return std::nullopt;
  const bool key_type = as2::has_type(doc, "Key") || as2::has_type(doc, "CryptographicKey");
  if (!key_type && !string_member(doc, "publicKeyPem")) return std::nullopt;
  return as2::member_id(doc, "owner");
}

Result<storage::ActorRecord> read_actor_document(const Value& doc, std::string_view raw_json,
                                                 std::string_view requested,
                                                 std::string_view preferred_key_id) {
  if (!doc.IsObject()) return FederationError::not_an_actor;
  auto type = as2::first_type(doc);
  auto id = as2::member_id(doc, "id");
  if (!type || !is_actor_type(*type) || !id) return FederationError::not_an_actor;
  // Mastodon's rule: the fetched document must be the one asked for, or anyone could serve a
  // copy of someone else's actor with their own key.
  if (*id != requested) return FederationError::id_mismatch;

  storage::ActorRecord a;
  a.uri = *id;
  a.type = *type;
  a.username = string_member(doc, "preferredUsername").value_or("");
  a.display_name = string_member(doc, "name").value_or("");
  a.inbox = as2::member_id(doc, "inbox").value_or("");
  if (const Value* endpoints = as2::find_member(doc, "endpoints");
      endpoints && endpoints->IsObject()) {
    a.shared_inbox = as2::member_id(*endpoints, "sharedInbox").value_or("");
  }
  a.outbox = as2::member_id(doc, "outbox").value_or("");
  a.followers = as2::member_id(doc, "followers").value_or("");
  a.following = as2::member_id(doc, "following").value_or("");
  a.url = as2::member_id(doc, "url").value_or("");
  if (const Value* m = as2::find_member(doc, "manuallyApprovesFollowers"); m && m->IsBool()) {
    a.manually_approves_followers = m->GetBool();
  }
  if (const Value* d = as2::find_member(doc, "discoverable"); d && d->IsBool()) {
    a.discoverable = d->GetBool();
  }
  const Value* key = pick_key(doc, preferred_key_id);
  if (a.inbox.empty() || !key) return FederationError::not_an_actor;
  a.key_id = *as2::member_id(*key, "id");
  a.public_key_pem = *string_member(*key, "publicKeyPem");

  const auto origin = http::origin_of(a.uri);
  if (!origin || http::origin_of(a.inbox) != origin || http::origin_of(a.key_id) != origin) {
    return FederationError::origin_mismatch;
  }
  if (auto owner = as2::member_id(*key, "owner"); owner && *owner != a.uri) {
    return FederationError::origin_mismatch;
  }
  // A shared inbox elsewhere would have our deliveries (followers-only posts included) go to a
  // server the actor's own does not vouch for: not used (the personal inbox is, on the origin).
  if (!a.shared_inbox.empty() && http::origin_of(a.shared_inbox) != origin) a.shared_inbox.clear();
  a.domain = http::authority_of(a.uri).value_or("");
  a.raw_json = std::string(raw_json);
  // Last: HTML is parsed only once the document passed every check above, so a request that
  // merely names this key gets no parse of a document we refuse (issue 11, item 1).
  a.summary_html = text::sanitize_html(string_member(doc, "summary").value_or(""));
  return a;
}

}  // namespace civicpub::federation
