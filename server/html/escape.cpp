#include "server/html/escape.hpp"

#include "federation/text/html_escape.hpp"

#include <cctype>

namespace civicpub::server::html {
namespace {

bool starts_with_ci(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  }
  return true;
}

}  // namespace

// One escaper for the whole program: federation/text uses the same one for Note HTML.
void append_escaped(std::string& out, std::string_view text) {
  federation::text::append_html_escaped(out, text);
}

std::string escape(std::string_view text) { return federation::text::html_escape(text); }

std::string_view safe_href(std::string_view url) {
  // Control characters and spaces inside a URL are how scheme checks get dodged
  // ("java\tscript:"); a URL that has them is not worth linking.
  for (const char c : url) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return {};
  }
  if (starts_with_ci(url, "https://") || starts_with_ci(url, "http://")) return url;
  // "//host" is protocol-relative, i.e. another site, and browsers read "/\host" the same way;
  // only same-site paths pass.
  if (!url.empty() && url[0] == '/' && (url.size() == 1 || (url[1] != '/' && url[1] != '\\'))) {
    return url;
  }
  return {};
}

}  // namespace civicpub::server::html
