#include "federation/signatures/cavage_signature.hpp"

#include "federation/crypto/base64.hpp"

#include <charconv>
#include <map>

namespace civicpub::federation::signatures {
namespace {

void skip_ows(std::string_view& s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
}

// Reads `name=value` pairs; values are quoted strings (backslash escapes allowed) or bare
// tokens such as the integers of created/expires.
std::optional<std::map<std::string, std::string>> split_params(std::string_view s) {
  std::map<std::string, std::string> out;
  while (true) {
    skip_ows(s);
    size_t eq = s.find('=');
    if (eq == 0 || eq == std::string_view::npos) return std::nullopt;
    std::string name(s.substr(0, eq));
    if (name.find_first_of(" \t,\"") != std::string::npos) return std::nullopt;
    s.remove_prefix(eq + 1);
    std::string value;
    if (!s.empty() && s.front() == '"') {
      s.remove_prefix(1);
      bool closed = false;
      while (!s.empty()) {
        char c = s.front();
        s.remove_prefix(1);
        if (c == '\\' && !s.empty()) {
          value += s.front();
          s.remove_prefix(1);
        } else if (c == '"') {
          closed = true;
          break;
        } else {
          value += c;
        }
      }
      if (!closed) return std::nullopt;
    } else {
      size_t end = s.find(',');
      value = std::string(s.substr(0, end));
      while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.pop_back();
      if (value.empty()) return std::nullopt;
      s.remove_prefix(end == std::string_view::npos ? s.size() : end);
    }
    if (!out.emplace(std::move(name), std::move(value)).second) return std::nullopt;
    skip_ows(s);
    if (s.empty()) return out;
    if (s.front() != ',') return std::nullopt;
    s.remove_prefix(1);
  }
}

std::optional<int64_t> to_int(const std::string& text) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}

}  // namespace

Result<ParsedSignature> parse_signature_header(std::string_view value) {
  skip_ows(value);
  if (value.empty()) return SignatureError::missing_signature;
  auto params = split_params(value);
  if (!params) return SignatureError::malformed_header;
  ParsedSignature out;
  auto take = [&](const char* key) -> std::optional<std::string> {
    auto it = params->find(key);
    if (it == params->end()) return std::nullopt;
    return it->second;
  };
  auto key_id = take("keyId");
  auto signature = take("signature");
  if (!key_id || key_id->empty() || !signature) return SignatureError::malformed_header;
  out.key_id = std::move(*key_id);
  auto bytes = crypto::base64_decode(*signature);
  if (!bytes || bytes->empty()) return SignatureError::malformed_header;
  out.signature = std::move(*bytes);
  out.algorithm = take("algorithm").value_or("");
  // INTEROP.md section 2: an absent `headers` means `date` (draft-cavage up to version 10, and
  // what Mastodon assumes for rsa-sha256).
  std::string names = to_lower(take("headers").value_or("date"));
  for (size_t pos = 0; pos < names.size();) {
    size_t end = names.find(' ', pos);
    if (end == std::string::npos) end = names.size();
    if (end > pos) out.headers.push_back(names.substr(pos, end - pos));
    pos = end + 1;
  }
  if (out.headers.empty()) return SignatureError::malformed_header;
  for (auto [key, field] : {std::pair{"created", &out.created}, {"expires", &out.expires}}) {
    if (auto text = take(key)) {
      auto number = to_int(*text);
      if (!number) return SignatureError::malformed_header;
      *field = *number;
    }
  }
  return out;
}

Result<ParsedSignature> parse_request_signature(const HeaderList& headers) {
  auto value = headers.find("signature");
  if (!value) return SignatureError::missing_signature;
  return parse_signature_header(*value);
}

Result<std::string> build_signing_string(const std::vector<std::string>& names,
                                         const SignedRequestView& request,
                                         std::optional<int64_t> created,
                                         std::optional<int64_t> expires, bool include_query) {
  std::string out;
  for (const auto& name : names) {
    if (!out.empty()) out += '\n';
    out += name;
    out += ": ";
    if (name == "(request-target)") {
      std::string_view target = request.target;
      if (!include_query) target = target.substr(0, target.find('?'));
      out += to_lower(request.method);
      out += ' ';
      out += target;
    } else if (name == "(created)" || name == "(expires)") {
      auto value = name == "(created)" ? created : expires;
      if (!value) return SignatureError::malformed_header;
      out += std::to_string(*value);
    } else {
      auto value = request.headers.find(name);
      if (!value) return SignatureError::missing_header;
      out += *value;
    }
  }
  return out;
}

}  // namespace civicpub::federation::signatures
