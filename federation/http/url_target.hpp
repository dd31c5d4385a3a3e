// What the client needs from a URL for one hop: where to connect and what to put in the request
// line and Host header. Only http and https are accepted (INTEROP.md section 6).
#pragma once

#include "common/error_kind.hpp"

#include <boost/url/url.hpp>
#include <boost/url/url_view.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace civicpub::federation::http {

struct Target {
  bool tls = false;
  std::string host;  // lowercase name, or an IP address without brackets
  bool host_is_ip = false;
  std::uint16_t port = 0;
  std::string authority;       // Host header value: port omitted when it is the default
  std::string path_and_query;  // request target, "/" at least; never the fragment

  // Connections are pooled per (scheme, host, port).
  std::string pool_key() const;
};

// Parses an absolute URL (bad_url, unsupported_scheme).
Result<boost::urls::url> parse_absolute_url(std::string_view text);

// Extracts the hop target; refuses userinfo (credentials in URLs leak into logs) and empty hosts.
Result<Target> target_of(const boost::urls::url_view& url);

// Resolves a Location header against the URL that answered (bad_redirect when unusable).
Result<boost::urls::url> redirect_target(const boost::urls::url_view& base,
                                         std::string_view location);

}  // namespace civicpub::federation::http
