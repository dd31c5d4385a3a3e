// JSON writing for every AS2 renderer, and the JSON-LD `@context` values we publish.
//
// The contexts only use the two published context documents every peer has cached (Fedify cannot
// see `publicKey` without security/v1, INTEROP.md section 1) and define every extension term
// inline: a made-up context URL breaks JSON-LD processors.
#pragma once

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace civicpub::federation::as2 {

inline constexpr std::string_view kActivityStreams = "https://www.w3.org/ns/activitystreams";
inline constexpr std::string_view kSecurityV1 = "https://w3id.org/security/v1";
inline constexpr std::string_view kPublic = "https://www.w3.org/ns/activitystreams#Public";

// Media types of what we render.
inline constexpr std::string_view kActivityJson = "application/activity+json";
inline constexpr std::string_view kJrdJson = "application/jrd+json";
inline constexpr std::string_view kXrdXml = "application/xrd+xml";

// The fragment of a local actor's Ed25519 Multikey id (FEP-521a): `<actor>#ed25519-key`.
inline constexpr std::string_view kAssertionKeyFragment = "#ed25519-key";

// `@context` for actor documents (and Update(actor)): the terms Mastodon reads from actors, and
// those of the FEP-521a `assertionMethod` Multikey (did/v1 defines `assertionMethod`,
// multikey/v1 `Multikey`, `controller` and `publicKeyMultibase`), in the order Fedify's own
// actors list them.
inline constexpr std::string_view kActorContext =
    R"(["https://www.w3.org/ns/activitystreams",)"
    R"("https://w3id.org/security/v1",)"
    R"("https://www.w3.org/ns/did/v1",)"
    R"("https://w3id.org/security/multikey/v1",{)"
    R"("manuallyApprovesFollowers":"as:manuallyApprovesFollowers",)"
    R"("toot":"http://joinmastodon.org/ns#",)"
    R"("discoverable":"toot:discoverable",)"
    R"("indexable":"toot:indexable",)"
    R"("schema":"http://schema.org#",)"
    R"("PropertyValue":"schema:PropertyValue",)"
    R"("value":"schema:value"}])";

// `@context` for Group actors: the actor terms plus those FEP-1b12 peers read (Lemmy's
// namespace for postingRestrictedToMods, Mastodon's for featured, as:sensitive).
inline constexpr std::string_view kGroupActorContext =
    R"(["https://www.w3.org/ns/activitystreams",)"
    R"("https://w3id.org/security/v1",)"
    R"("https://www.w3.org/ns/did/v1",)"
    R"("https://w3id.org/security/multikey/v1",{)"
    R"("manuallyApprovesFollowers":"as:manuallyApprovesFollowers",)"
    R"("toot":"http://joinmastodon.org/ns#",)"
    R"("discoverable":"toot:discoverable",)"
    R"("indexable":"toot:indexable",)"
    R"("featured":{"@id":"toot:featured","@type":"@id"},)"
    R"("lemmy":"https://join-lemmy.org/ns#",)"
    R"("postingRestrictedToMods":"lemmy:postingRestrictedToMods",)"
    R"("sensitive":"as:sensitive",)"
    R"("schema":"http://schema.org#",)"
    R"("PropertyValue":"schema:PropertyValue",)"
    R"("value":"schema:value"}])";

// `@context` for Notes and the activities that carry them (sensitive and Hashtag are not in the
// AS2 context document although Mastodon relies on them).
inline constexpr std::string_view kNoteContext = R"(["https://www.w3.org/ns/activitystreams",{)"
                                                 R"("sensitive":"as:sensitive",)"
                                                 R"("Hashtag":"as:Hashtag"}])";

// `@context` for plain activities and collections.
inline constexpr std::string_view kActivityContext = R"("https://www.w3.org/ns/activitystreams")";

// A thin, append-only writer over rapidjson::Writer. Field helpers keep renderers one line per
// property; `str()` returns the finished document.
class JsonWriter {
 public:
  JsonWriter() : writer_(buffer_) {}
  JsonWriter(const JsonWriter&) = delete;
  JsonWriter& operator=(const JsonWriter&) = delete;

  void start_object() { writer_.StartObject(); }
  void end_object() { writer_.EndObject(); }
  void start_array() { writer_.StartArray(); }
  void end_array() { writer_.EndArray(); }

  void key(std::string_view k) { writer_.Key(k.data(), rapidjson::SizeType(k.size()), true); }
  void string(std::string_view v) { writer_.String(v.data(), rapidjson::SizeType(v.size()), true); }
  void boolean(bool v) { writer_.Bool(v); }
  void int64(std::int64_t v) { writer_.Int64(v); }
  void uint64(std::uint64_t v) { writer_.Uint64(v); }
  void null() { writer_.Null(); }
  // Copies a parsed value (with all its members) into the output.
  void value(const rapidjson::Value& v) { v.Accept(writer_); }
  // Inserts JSON text we produced ourselves (the context constants, a rendered sub-document).
  // Never pass text from a peer: it is not validated.
  void raw(std::string_view json, rapidjson::Type type) {
    writer_.RawValue(json.data(), json.size(), type);
  }

  void field(std::string_view k, std::string_view v) {
    key(k);
    string(v);
  }
  void field(std::string_view k, const char* v) {
    key(k);
    string(v);
  }
  void field(std::string_view k, const std::string& v) {
    key(k);
    string(v);
  }
  void field(std::string_view k, bool v) {
    key(k);
    boolean(v);
  }
  void field(std::string_view k, std::int64_t v) {
    key(k);
    int64(v);
  }
  void field(std::string_view k, std::uint64_t v) {
    key(k);
    uint64(v);
  }
  // Writes the member only when there is a value (absent beats "" for optional AS2 properties).
  void field_if(std::string_view k, std::string_view v) {
    if (!v.empty()) field(k, v);
  }
  void field_if(std::string_view k, const std::string& v) { field_if(k, std::string_view(v)); }
  void field_if(std::string_view k, const std::optional<std::string>& v) {
    if (v && !v->empty()) field(k, *v);
  }
  void string_array(std::string_view k, const std::vector<std::string>& values);
  // `"@context": <one of the k*Context constants>`.
  void context(std::string_view context_json);

  // The document written so far; call once the top-level value is complete.
  std::string str() const { return {buffer_.GetString(), buffer_.GetSize()}; }

 private:
  rapidjson::StringBuffer buffer_;
  rapidjson::Writer<rapidjson::StringBuffer> writer_;
};

}  // namespace civicpub::federation::as2
