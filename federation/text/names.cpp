#include "federation/text/names.hpp"

#include "federation/text/unicode.hpp"

namespace civicpub::federation::text {
namespace {

constexpr std::size_t kMaxUsernameChars = 64;
constexpr std::size_t kMaxDisplayNameChars = 100;

bool is_username_edge(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Characters that change how the text around them reads, or cannot be seen.
bool is_invisible_or_control(char32_t c) {
  if (c < 0x20 || (c >= 0x7F && c < 0xA0)) return true;        // C0, DEL, C1
  if (c == 0x061C || c == 0x200E || c == 0x200F) return true;  // bidi marks
  if (c >= 0x202A && c <= 0x202E) return true;                 // embeddings and overrides
  if (c >= 0x2066 && c <= 0x2069) return true;                 // isolates
  if (c >= 0x200B && c <= 0x200D) return true;                 // zero-width space, (non-)joiner
  return c == 0x2060 || c == 0xFEFF || c == 0xFFFD;            // word joiner, BOM, invalid UTF-8
}

}  // namespace

bool is_safe_username(std::string_view username) {
  if (username.empty() || username.size() > kMaxUsernameChars) return false;
  if (!is_username_edge(username.front()) || !is_username_edge(username.back())) return false;
  for (const char c : username) {
    if (!is_username_edge(c) && c != '.' && c != '-') return false;
  }
  return true;
}

std::string shown_handle(std::string_view username, std::string_view domain) {
  if (!is_safe_username(username)) return std::string(domain);
  std::string out = "@";
  out += username;
  out += '@';
  out += domain;
  return out;
}

std::string safe_display_name(std::string_view name) {
  std::u32string kept;
  bool space = false;
  for (const char32_t c : decode_utf8(name)) {
    if (c == '\t' || c == '\n' || c == '\r' || (is_space(c) && !is_invisible_or_control(c))) {
      space = !kept.empty();
      continue;
    }
    if (is_invisible_or_control(c)) continue;
    if (kept.size() >= kMaxDisplayNameChars) break;
    if (space) kept += U' ';
    space = false;
    kept += c;
  }
  return encode_utf8(kept);
}

}  // namespace civicpub::federation::text
