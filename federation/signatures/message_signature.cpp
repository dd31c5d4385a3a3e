#include "federation/signatures/message_signature.hpp"

#include "federation/signatures/ows.hpp"

#include <algorithm>

namespace civicpub::federation::signatures {
namespace {

// Reads the signature parameters we act on; a known parameter of the wrong type is malformed.
bool read_params(const sf::Parameters& params, MessageSignature& out) {
  for (const auto& [key, value] : params) {
    if (key == "created" || key == "expires") {
      const auto* n = std::get_if<int64_t>(&value);
      if (!n) return false;
      (key == "created" ? out.created : out.expires) = *n;
    } else if (key == "keyid" || key == "alg" || key == "nonce" || key == "tag") {
      const auto* s = std::get_if<std::string>(&value);
      if (!s) return false;
      (key == "keyid"   ? out.key_id
       : key == "alg"   ? out.alg
       : key == "nonce" ? out.nonce
                        : out.tag) = *s;
    }
  }
  return true;
}

// Host part lowercased and the scheme's default port dropped (RFC 9421 section 2.2.3).
std::string normalized_authority(const RequestOrigin& origin) {
  std::string authority = to_lower(origin.authority);
  std::string scheme = to_lower(origin.scheme);
  std::string_view default_port = scheme == "https" ? ":443" : scheme == "http" ? ":80" : "";
  if (!default_port.empty() && authority.ends_with(default_port)) {
    authority.resize(authority.size() - default_port.size());
  }
  return authority;
}

std::optional<std::string> derived_value(std::string_view name, const SignedRequestView& request,
                                         const RequestOrigin& origin) {
  std::string_view target = request.target;
  size_t q = target.find('?');
  std::string_view path = target.substr(0, q);
  if (name == "@method") return std::string(request.method);
  if (name == "@target-uri") {
    return to_lower(origin.scheme) + "://" + normalized_authority(origin) + std::string(target);
  }
  if (name == "@authority") return normalized_authority(origin);
  if (name == "@scheme") return to_lower(origin.scheme);
  if (name == "@request-target") return std::string(target);
  if (name == "@path") return path.empty() ? std::string("/") : std::string(path);
  if (name == "@query") {
    return q == std::string_view::npos ? std::string("?") : std::string(target.substr(q));
  }
  return std::nullopt;
}

// RFC 9421 section 2.1: each field line's value trimmed, several lines joined by ", ".
std::optional<std::string> field_value(const HeaderList& headers, std::string_view name) {
  std::optional<std::string> out;
  for (const auto& [n, v] : headers.entries()) {
    if (!iequals(n, name)) continue;
    if (out) {
      *out += ", ";
      *out += trim_ows(v);
    } else {
      out = std::string(trim_ows(v));
    }
  }
  return out;
}

}  // namespace

Result<std::vector<MessageSignature>> parse_message_signatures(const HeaderList& headers) {
  auto input_text = headers.find("signature-input");
  if (!input_text) return SignatureError::missing_signature;
  auto signature_text = headers.find("signature");
  if (!signature_text) return SignatureError::missing_signature;
  auto inputs = sf::parse_dictionary(*input_text);
  auto signatures = sf::parse_dictionary(*signature_text);
  if (!inputs || !signatures) return SignatureError::malformed_header;

  std::vector<MessageSignature> out;
  for (const auto& [label, member] : *inputs) {
    const auto* list = std::get_if<sf::InnerList>(&member);
    if (!list) return SignatureError::malformed_header;
    MessageSignature sig;
    sig.label = label;
    sig.input = *list;
    for (const auto& item : list->items) {
      const auto* name = std::get_if<std::string>(&item.value);
      if (!name) return SignatureError::malformed_header;
      sig.components.push_back(*name);
    }
    if (!read_params(list->params, sig)) return SignatureError::malformed_header;
    // Compares with sig.label, not the structured binding: clang 14 cannot capture bindings.
    auto match = std::find_if(signatures->begin(), signatures->end(),
                              [&](const auto& entry) { return entry.first == sig.label; });
    if (match == signatures->end()) continue;
    const auto* item = std::get_if<sf::Item>(&match->second);
    const auto* bytes = item ? std::get_if<sf::ByteSequence>(&item->value) : nullptr;
    if (!bytes) return SignatureError::malformed_header;
    sig.signature = bytes->bytes;
    out.push_back(std::move(sig));
  }
  if (out.empty()) return SignatureError::malformed_header;
  return out;
}

Result<std::string> build_signature_base(const MessageSignature& signature,
                                         const SignedRequestView& request,
                                         const RequestOrigin& origin) {
  std::string base;
  std::vector<std::string_view> seen;
  for (const auto& item : signature.input.items) {
    const auto* name = std::get_if<std::string>(&item.value);
    if (!name || !item.params.empty()) return SignatureError::malformed_header;
    if (std::find(seen.begin(), seen.end(), *name) != seen.end()) {
      return SignatureError::malformed_header;
    }
    seen.push_back(*name);
    std::optional<std::string> value;
    if (name->starts_with("@")) {
      value = derived_value(*name, request, origin);
      if (!value) return SignatureError::malformed_header;
    } else {
      if (*name != to_lower(*name)) return SignatureError::malformed_header;
      value = field_value(request.headers, *name);
      if (!value) return SignatureError::missing_header;
    }
    base += sf::serialize(item.value);
    base += ": ";
    base += *value;
    base += '\n';
  }
  base += "\"@signature-params\": ";
  base += sf::serialize(signature.input);
  return base;
}

}  // namespace civicpub::federation::signatures
