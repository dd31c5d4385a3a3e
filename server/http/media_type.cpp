#include "server/http/media_type.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace civicpub::server::http {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool is_token(std::string_view s) {
  if (s.empty()) return false;
  return std::all_of(s.begin(), s.end(), [](unsigned char c) {
    return std::isalnum(c) ||
           std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
  });
}

// Splits `s` at `sep`, but not inside a quoted string (a profile list may hold ',' or ';').
std::vector<std::string_view> split_unquoted(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  bool quoted = false;
  std::size_t start = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (quoted && c == '\\') {
      ++i;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (c == sep && !quoted) {
      parts.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  parts.push_back(s.substr(start));
  return parts;
}

std::string unquote(std::string_view v) {
  if (v.size() < 2 || v.front() != '"' || v.back() != '"') return std::string(v);
  std::string out;
  for (std::size_t i = 1; i + 1 < v.size(); ++i) {
    if (v[i] == '\\' && i + 2 < v.size()) ++i;
    out.push_back(v[i]);
  }
  return out;
}

std::optional<double> parse_q(std::string_view v) {
  double q = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), q);
  if (ec != std::errc{} || end != v.data() + v.size() || q < 0 || q > 1) return std::nullopt;
  return q;
}

}  // namespace

std::optional<std::string_view> MediaType::param(std::string_view name) const {
  for (const auto& [k, v] : params) {
    if (k == name) return std::string_view{v};
  }
  return std::nullopt;
}

std::optional<MediaType> parse_media_type(std::string_view text) {
  auto parts = split_unquoted(text, ';');
  std::string_view essence = trim(parts.front());
  auto slash = essence.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  MediaType m;
  std::string_view type = trim(essence.substr(0, slash));
  std::string_view subtype = trim(essence.substr(slash + 1));
  if (!is_token(type) || !is_token(subtype)) return std::nullopt;
  m.type = lower(type);
  m.subtype = lower(subtype);
  for (std::size_t i = 1; i < parts.size(); ++i) {
    std::string_view p = trim(parts[i]);
    if (p.empty()) continue;
    auto eq = p.find('=');
    if (eq == std::string_view::npos) continue;  // tolerate "a; b": ignore the bare word
    std::string_view name = trim(p.substr(0, eq));
    if (!is_token(name)) continue;
    m.params.emplace_back(lower(name), unquote(trim(p.substr(eq + 1))));
  }
  return m;
}

std::vector<MediaRange> parse_accept(std::string_view accept) {
  std::vector<MediaRange> ranges;
  for (std::string_view entry : split_unquoted(accept, ',')) {
    if (trim(entry).empty()) continue;
    auto media = parse_media_type(entry);
    if (!media) continue;
    MediaRange range;
    auto& params = media->params;
    for (auto it = params.begin(); it != params.end(); ++it) {
      if (it->first != "q") continue;
      auto q = parse_q(it->second);
      if (!q) break;  // a malformed weight: keep q = 1 rather than drop the entry
      range.q = *q;
      // Parameters after q are accept-extensions, not media type parameters (RFC 9110 12.5.1).
      params.erase(it, params.end());
      break;
    }
    range.media = std::move(*media);
    ranges.push_back(std::move(range));
  }
  return ranges;
}

}  // namespace civicpub::server::http
