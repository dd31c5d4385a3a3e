#include "federation/text/safe_url.hpp"

#include "federation/text/unicode.hpp"

#include <algorithm>

namespace civicpub::federation::text {
namespace {

bool is_c0_or_space(char c) {
  return static_cast<unsigned char>(c) <= 0x20;
}

}  // namespace

std::optional<std::string> safe_link_href(std::string_view raw) {
  while (!raw.empty() && is_c0_or_space(raw.front())) raw.remove_prefix(1);
  while (!raw.empty() && is_c0_or_space(raw.back())) raw.remove_suffix(1);
  std::string url;
  url.reserve(raw.size());
  for (const char c : raw) {
    if (c == '\t' || c == '\n' || c == '\r') continue;
    // Other control characters have no business in a link; refuse rather than guess.
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return std::nullopt;
    url += c;
  }
  const std::size_t colon = url.find(':');
  if (colon == std::string::npos || url.find_first_of("/?#") < colon) return std::nullopt;
  const std::string scheme = ascii_lower(std::string_view(url).substr(0, colon));
  if (scheme != "http" && scheme != "https") return std::nullopt;
  const std::string_view rest = std::string_view(url).substr(colon + 1);
  // "//" and a non-empty authority: "https:evil", "https:/x" and "https:///x" are refused.
  if (rest.size() < 3 || rest.substr(0, 2) != "//" ||
      std::string_view("/?#\\").find(rest[2]) != std::string_view::npos) {
    return std::nullopt;
  }
  return url;
}

}  // namespace civicpub::federation::text
