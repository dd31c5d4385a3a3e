#include "federation/as2/jcs.hpp"

#include "federation/as2/proof_error.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <utility>
#include <vector>

namespace civicpub::federation::as2 {
namespace {

using rapidjson::Value;

// Decodes well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing past U+10FFFF)
// into UTF-16 code units when `out` is given. False on anything else.
bool decode_utf8(std::string_view s, std::u16string* out) {
  size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    uint32_t cp = 0;
    size_t len = 0;
    uint32_t min = 0;
    if (b < 0x80) {
      cp = b, len = 1, min = 0;
    } else if ((b & 0xE0) == 0xC0) {
      cp = b & 0x1F, len = 2, min = 0x80;
    } else if ((b & 0xF0) == 0xE0) {
      cp = b & 0x0F, len = 3, min = 0x800;
    } else if ((b & 0xF8) == 0xF0) {
      cp = b & 0x07, len = 4, min = 0x10000;
    } else {
      return false;
    }
    if (i + len > s.size()) return false;
    for (size_t j = 1; j < len; ++j) {
      const auto c = static_cast<unsigned char>(s[i + j]);
      if ((c & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (c & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    if (out) {
      if (cp < 0x10000) {
        out->push_back(static_cast<char16_t>(cp));
      } else {
        cp -= 0x10000;
        out->push_back(static_cast<char16_t>(0xD800 + (cp >> 10)));
        out->push_back(static_cast<char16_t>(0xDC00 + (cp & 0x3FF)));
      }
    }
    i += len;
  }
  return true;
}

std::string_view view_of(const Value& v) {
  return {v.GetString(), v.GetStringLength()};
}

Result<void> write_string(std::string_view s, std::string& out) {
  if (!decode_utf8(s, nullptr)) return ProofError::invalid_utf8;
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 0xF];
        } else {
          out += ch;  // everything else verbatim, U+007F and non-ASCII included
        }
    }
  }
  out += '"';
  return {};
}

Result<void> write_value(const Value& v, std::size_t depth, std::string& out);

Result<void> write_object(const Value& v, std::size_t depth, std::string& out) {
  std::vector<std::pair<std::u16string, const Value::Member*>> members;
  members.reserve(v.MemberCount());
  for (const auto& m : v.GetObject()) {
    std::u16string key;
    if (!decode_utf8(view_of(m.name), &key)) return ProofError::invalid_utf8;
    members.emplace_back(std::move(key), &m);
  }
  // RFC 8785 section 3.2.3: by UTF-16 code units, which differs from UTF-8 byte order for
  // characters past U+FFFF (surrogates sort below U+E000..U+FFFF).
  std::sort(members.begin(), members.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  out += '{';
  for (std::size_t i = 0; i < members.size(); ++i) {
    if (i > 0) {
      if (members[i].first == members[i - 1].first) return ProofError::duplicate_member;
      out += ',';
    }
    if (auto r = write_string(view_of(members[i].second->name), out); !r) return r;
    out += ':';
    if (auto r = write_value(members[i].second->value, depth + 1, out); !r) return r;
  }
  out += '}';
  return {};
}

Result<void> write_value(const Value& v, std::size_t depth, std::string& out) {
  if (depth > kMaxJcsDepth) return ProofError::too_deep;
  switch (v.GetType()) {
    case rapidjson::kNullType: out += "null"; return {};
    case rapidjson::kFalseType: out += "false"; return {};
    case rapidjson::kTrueType: out += "true"; return {};
    case rapidjson::kStringType: return write_string(view_of(v), out);
    case rapidjson::kNumberType: {
      // Integers too go through the double they denote: JCS numbers are IEEE 754 doubles, so
      // 2^53 + 1 is written as a JavaScript peer would see it.
      auto text = format_es_number(v.GetDouble());
      if (!text) return text.error();
      out += *text;
      return {};
    }
    case rapidjson::kArrayType: {
      out += '[';
      bool first = true;
      for (const auto& element : v.GetArray()) {
        if (!first) out += ',';
        first = false;
        if (auto r = write_value(element, depth + 1, out); !r) return r;
      }
      out += ']';
      return {};
    }
    case rapidjson::kObjectType: return write_object(v, depth, out);
  }
  return {};
}

}  // namespace

Result<std::string> format_es_number(double value) {
  if (!std::isfinite(value)) return ProofError::number_not_finite;
  if (value == 0) return std::string("0");  // also -0
  // The shortest round-trip digits (nearest of the shortest, as ECMA-262 asks), as d.ddde±x.
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<std::size_t>(res.ptr - buf));
  std::string out;
  if (sci.front() == '-') {
    out += '-';
    sci.remove_prefix(1);
  }
  const std::size_t e_pos = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e_pos)) {
    if (c != '.') digits += c;
  }
  const int exponent = std::atoi(std::string(sci.substr(e_pos + 1)).c_str());
  const int k = static_cast<int>(digits.size());
  const int n = exponent + 1;  // the decimal point sits after n digits
  if (k <= n && n <= 21) {
    out += digits;
    out.append(static_cast<std::size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out += digits.substr(0, static_cast<std::size_t>(n));
    out += '.';
    out += digits.substr(static_cast<std::size_t>(n));
  } else if (-6 < n && n <= 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-n), '0');
    out += digits;
  } else {
    out += digits[0];
    if (k > 1) {
      out += '.';
      out += digits.substr(1);
    }
    out += 'e';
    out += n - 1 < 0 ? '-' : '+';
    out += std::to_string(std::abs(n - 1));
  }
  return out;
}

Result<std::string> canonicalize_json(const Value& value) {
  std::string out;
  if (auto r = write_value(value, 0, out); !r) return r.error();
  return out;
}

}  // namespace civicpub::federation::as2
