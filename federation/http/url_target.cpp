#include "federation/http/url_target.hpp"

#include "federation/http/error.hpp"

#include <boost/url/parse.hpp>

#include <algorithm>
#include <cctype>

namespace civicpub::federation::http {
namespace urls = boost::urls;

std::string Target::pool_key() const {
  return std::string(tls ? "https://" : "http://") + host + ":" + std::to_string(port);
}

Result<urls::url> parse_absolute_url(std::string_view text) {
  auto parsed = urls::parse_uri(text);
  if (!parsed) return HttpError::bad_url;
  urls::url url(*parsed);
  url.remove_fragment();  // never sent; final_url and signatures name what was fetched
  if (url.scheme_id() != urls::scheme::http && url.scheme_id() != urls::scheme::https) {
    return HttpError::unsupported_scheme;
  }
  return url;
}

Result<Target> target_of(const urls::url_view& url) {
  Target t;
  if (url.scheme_id() == urls::scheme::https) {
    t.tls = true;
  } else if (url.scheme_id() != urls::scheme::http) {
    return HttpError::unsupported_scheme;
  }
  if (url.has_userinfo() || !url.has_authority()) return HttpError::bad_url;

  switch (url.host_type()) {
    case urls::host_type::name:
      t.host = url.host_name();
      std::transform(t.host.begin(), t.host.end(), t.host.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      break;
    case urls::host_type::ipv4:
      t.host = url.host_ipv4_address().to_string();
      t.host_is_ip = true;
      break;
    case urls::host_type::ipv6:
      t.host = url.host_ipv6_address().to_string();
      t.host_is_ip = true;
      break;
    default: return HttpError::bad_url;  // IPvFuture, no host
  }
  if (t.host.empty()) return HttpError::bad_url;

  const std::uint16_t default_port = t.tls ? 443 : 80;
  if (url.has_port()) {
    if (url.port().empty() || url.port_number() == 0) return HttpError::bad_url;
    t.port = url.port_number();
  } else {
    t.port = default_port;
  }
  const std::string host_text =
      url.host_type() == urls::host_type::ipv6 ? "[" + t.host + "]" : t.host;
  t.authority = t.port == default_port ? host_text : host_text + ":" + std::to_string(t.port);

  t.path_and_query = url.encoded_path().empty() ? "/" : std::string(url.encoded_path());
  if (url.has_query()) {
    t.path_and_query += "?";
    t.path_and_query += url.encoded_query();
  }
  return t;
}

Result<urls::url> redirect_target(const urls::url_view& base, std::string_view location) {
  auto ref = urls::parse_uri_reference(location);
  if (!ref) return HttpError::bad_redirect;
  urls::url dest;
  if (!urls::resolve(base, *ref, dest)) return HttpError::bad_redirect;
  dest.remove_fragment();
  if (dest.scheme_id() != urls::scheme::http && dest.scheme_id() != urls::scheme::https) {
    return HttpError::unsupported_scheme;
  }
  return dest;
}

}  // namespace civicpub::federation::http
