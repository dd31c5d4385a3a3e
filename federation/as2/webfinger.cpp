#include "federation/as2/webfinger.hpp"

#include "federation/text/html_escape.hpp"

#include "federation/as2/error.hpp"
#include "federation/as2/json.hpp"

#include <boost/url/parse.hpp>

#include <algorithm>
#include <cctype>
#include <optional>

namespace civicpub::federation::as2 {
namespace {

constexpr std::size_t kMaxResource = 2048;

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes %XX escapes; nothing on a broken escape or a decoded control character.
std::optional<std::string> percent_decode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return std::nullopt;
      const int hi = hex_value(in[i + 1]), lo = hex_value(in[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      c = char(hi * 16 + lo);
      i += 2;
    }
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return std::nullopt;
    out.push_back(c);
  }
  return out;
}

std::string lowercase(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return char(std::tolower(c)); });
  return out;
}

bool is_username_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
}

// host[:port] with a DNS name, an IPv4 address or a bracketed IPv6 address.
bool is_valid_domain(std::string_view d) {
  if (d.empty() || d.size() > 260) return false;
  std::string_view host = d;
  std::string_view port;
  if (d.front() == '[') {
    const auto close = d.find(']');
    if (close == std::string_view::npos) return false;
    host = d.substr(0, close + 1);
    const auto rest = d.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return false;
      port = rest.substr(1);
      if (port.empty()) return false;
    }
    const auto inner = host.substr(1, host.size() - 2);
    if (inner.empty() || !std::all_of(inner.begin(), inner.end(), [](char c) {
          return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.';
        })) {
      return false;
    }
  } else {
    if (const auto colon = d.find(':'); colon != std::string_view::npos) {
      host = d.substr(0, colon);
      port = d.substr(colon + 1);
      if (port.empty()) return false;
    }
    if (host.empty() || host.front() == '.' || host.front() == '-' || host.back() == '.' ||
        host.find("..") != std::string_view::npos) {
      return false;
    }
    if (!std::all_of(host.begin(), host.end(), [](char c) {
          return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.';
        })) {
      return false;
    }
  }
  return port.size() <= 5 && std::all_of(port.begin(), port.end(), [](char c) {
           return std::isdigit(static_cast<unsigned char>(c));
         });
}

Result<WebfingerQuery> parse_url_resource(const std::string& text) {
  auto parsed = boost::urls::parse_absolute_uri(text);
  if (!parsed) return make_error_code(DocumentError::bad_resource);
  const auto scheme = lowercase(parsed->scheme());
  if ((scheme != "http" && scheme != "https") || !parsed->has_authority() ||
      parsed->encoded_host().empty()) {
    return make_error_code(DocumentError::bad_resource);
  }
  WebfingerQuery q;
  q.kind = WebfingerQuery::Kind::url;
  q.domain = lowercase(parsed->encoded_host_and_port());
  q.url = text;
  return q;
}

}  // namespace

Result<WebfingerQuery> parse_webfinger_resource(std::string_view resource) {
  if (resource.empty() || resource.size() > kMaxResource) {
    return make_error_code(DocumentError::bad_resource);
  }
  auto decoded = percent_decode(resource);
  if (!decoded) return make_error_code(DocumentError::bad_resource);
  std::string_view text = *decoded;
  const auto lower = lowercase(text.substr(0, 8));
  if (lower.rfind("http://", 0) == 0 || lower.rfind("https://", 0) == 0) {
    return parse_url_resource(*decoded);
  }
  if (lower.rfind("acct:", 0) == 0) text.remove_prefix(5);
  if (!text.empty() && text.front() == '@') text.remove_prefix(1);  // "acct:@user@host"
  const auto at = text.find('@');
  if (at == std::string_view::npos || at == 0) return make_error_code(DocumentError::bad_resource);
  const auto username = text.substr(0, at);
  const auto domain = text.substr(at + 1);
  if (username.size() > 64 || !std::all_of(username.begin(), username.end(), is_username_char) ||
      !is_valid_domain(domain)) {
    return make_error_code(DocumentError::bad_resource);
  }
  WebfingerQuery q;
  q.kind = WebfingerQuery::Kind::acct;
  q.username = std::string(username);
  q.domain = lowercase(domain);
  return q;
}

std::string render_host_meta(const InstanceInfo& instance) {
  std::string base;
  text::append_xml_escaped(base, instance.base_url);
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<XRD xmlns=\"http://docs.oasis-open.org/ns/xri/xrd-1.0\">\n"
         "  <Link rel=\"lrdd\" template=\"" +
         base + "/.well-known/webfinger?resource={uri}\"/>\n</XRD>\n";
}

}  // namespace civicpub::federation::as2
