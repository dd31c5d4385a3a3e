#include "federation/as2/reader.hpp"

#include "federation/as2/error.hpp"

#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <cstring>

namespace civicpub::federation::as2 {
namespace {

using rapidjson::SizeType;
using rapidjson::Value;

// Forwards SAX events to the Document while counting depth, array lengths and object members, so a hostile
// document is refused while it is read instead of after it was built in memory.
class LimitedHandler {
 public:
  LimitedHandler(rapidjson::Document& doc, const ParseLimits& limits)
      : doc_(doc), limits_(limits) {}

  bool Null() { return value() && doc_.Null(); }
  bool Bool(bool b) { return value() && doc_.Bool(b); }
  bool Int(int i) { return value() && doc_.Int(i); }
  bool Uint(unsigned u) { return value() && doc_.Uint(u); }
  bool Int64(std::int64_t i) { return value() && doc_.Int64(i); }
  bool Uint64(std::uint64_t u) { return value() && doc_.Uint64(u); }
  bool Double(double d) { return value() && doc_.Double(d); }
  bool RawNumber(const char* s, SizeType n, bool copy) {
    return value() && doc_.RawNumber(s, n, copy);
  }
  bool String(const char* s, SizeType n, bool copy) { return value() && doc_.String(s, n, copy); }
  bool Key(const char* s, SizeType n, bool copy) { return member() && doc_.Key(s, n, copy); }
  bool StartObject() { return value() && open(false) && doc_.StartObject(); }
  bool EndObject(SizeType n) { return close() && doc_.EndObject(n); }
  bool StartArray() { return value() && open(true) && doc_.StartArray(); }
  bool EndArray(SizeType n) { return close() && doc_.EndArray(n); }

  std::optional<DocumentError> violation() const { return violation_; }

 private:
  // Counts one more element when the enclosing container is an array.
  bool value() {
    if (!open_.empty() && open_.back().is_array && ++open_.back().count > limits_.max_array) {
      violation_ = DocumentError::array_too_long;
      return false;
    }
    return true;
  }
  // Counts one more member of the enclosing object.
  bool member() {
    if (!open_.empty() && ++open_.back().count > limits_.max_members) {
      violation_ = DocumentError::too_many_members;
      return false;
    }
    return true;
  }
  bool open(bool is_array) {
    if (open_.size() >= limits_.max_depth) {
      violation_ = DocumentError::too_deep;
      return false;
    }
    open_.push_back({is_array, 0});
    return true;
  }
  bool close() {
    open_.pop_back();
    return true;
  }

  struct Container {
    bool is_array;
    std::size_t count;
  };
  rapidjson::Document& doc_;
  const ParseLimits& limits_;
  std::vector<Container> open_;
  std::optional<DocumentError> violation_;
};

std::optional<std::string> as_string(const Value& v) {
  if (!v.IsString()) return std::nullopt;
  return std::string(v.GetString(), v.GetStringLength());
}

}  // namespace

Result<rapidjson::Document> parse_json(std::string_view body, const ParseLimits& limits) {
  if (body.size() > limits.max_bytes) return make_error_code(DocumentError::too_large);
  // rapidjson reads NUL as the end of input: a body with one would parse as its prefix.
  if (std::memchr(body.data(), '\0', body.size()) != nullptr) {
    return make_error_code(DocumentError::malformed_json);
  }
  rapidjson::Document doc;
  std::optional<DocumentError> violation;
  bool ok = false;
  auto generate = [&](rapidjson::Document& target) {
    LimitedHandler handler(target, limits);
    rapidjson::MemoryStream stream(body.data(), body.size());
    rapidjson::Reader reader;
    // Full precision: a number must come back as exactly the double the sender wrote, or JCS
    // (integrity proofs) re-serializes it differently and the signature fails.
    ok = !reader
              .Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag |
                     rapidjson::kParseFullPrecisionFlag>(stream, handler)
              .IsError();
    violation = handler.violation();
    return ok;
  };
  doc.Populate(generate);
  if (violation) return make_error_code(*violation);
  if (!ok) return make_error_code(DocumentError::malformed_json);
  return doc;
}

const Value* find_member(const Value& value, std::string_view name) {
  if (!value.IsObject()) return nullptr;
  const auto it = value.FindMember(Value(rapidjson::StringRef(name.data(), name.size())));
  return it == value.MemberEnd() ? nullptr : &it->value;
}

std::optional<std::string> id_of(const Value& value) {
  if (value.IsString()) {
    if (value.GetStringLength() == 0) return std::nullopt;
    return as_string(value);
  }
  if (value.IsObject()) {
    const Value* id = find_member(value, "id");
    return id && id->IsString() && id->GetStringLength() > 0 ? as_string(*id) : std::nullopt;
  }
  if (value.IsArray()) {
    for (const auto& element : value.GetArray()) {
      if (!element.IsArray()) {
        if (auto id = id_of(element)) return id;
      }
    }
  }
  return std::nullopt;
}

std::vector<std::string> ids_of(const Value& value) {
  std::vector<std::string> out;
  if (value.IsArray()) {
    for (const auto& element : value.GetArray()) {
      // Nested arrays are not an AS2 shape; skip them instead of recursing.
      if (element.IsArray()) continue;
      if (auto id = id_of(element)) out.push_back(std::move(*id));
    }
  } else if (auto id = id_of(value)) {
    out.push_back(std::move(*id));
  }
  return out;
}

std::optional<std::string> member_id(const Value& object, std::string_view name) {
  const Value* v = find_member(object, name);
  return v ? id_of(*v) : std::nullopt;
}

std::vector<std::string> member_ids(const Value& object, std::string_view name) {
  const Value* v = find_member(object, name);
  return v ? ids_of(*v) : std::vector<std::string>{};
}

std::optional<std::string> first_type(const Value& object) {
  const Value* type = find_member(object, "type");
  return type ? string_or_first(*type) : std::nullopt;
}

bool has_type(const Value& object, std::string_view type) {
  const Value* t = find_member(object, "type");
  if (!t) return false;
  auto matches = [&](const Value& v) {
    return v.IsString() && std::string_view(v.GetString(), v.GetStringLength()) == type;
  };
  if (t->IsArray()) {
    for (const auto& element : t->GetArray()) {
      if (matches(element)) return true;
    }
    return false;
  }
  return matches(*t);
}

bool is_public(std::string_view address) {
  return address == "https://www.w3.org/ns/activitystreams#Public" || address == "as:Public" ||
         address == "Public";
}

std::optional<std::string> string_or_first(const Value& value) {
  if (value.IsString()) return as_string(value);
  if (value.IsArray()) {
    for (const auto& element : value.GetArray()) {
      if (element.IsString()) return as_string(element);
    }
  }
  return std::nullopt;
}

std::optional<std::string> content_of(const Value& object, std::string_view language) {
  if (const Value* content = find_member(object, "content"); content && content->IsString()) {
    return as_string(*content);
  }
  const Value* map = find_member(object, "contentMap");
  if (!map || !map->IsObject()) return std::nullopt;
  if (!language.empty()) {
    if (const Value* v = find_member(*map, language); v && v->IsString()) return as_string(*v);
  }
  for (const auto& m : map->GetObject()) {
    if (m.value.IsString()) return as_string(m.value);
  }
  return std::nullopt;
}

std::optional<std::string> author_of(const Value& object) {
  const Value* attributed = find_member(object, "attributedTo");
  if (!attributed) return std::nullopt;
  if (!attributed->IsArray()) return id_of(*attributed);
  for (const auto& element : attributed->GetArray()) {
    if (element.IsObject() && has_type(element, "Group")) continue;
    if (auto id = id_of(element)) return id;
  }
  return id_of(*attributed);
}

}  // namespace civicpub::federation::as2
