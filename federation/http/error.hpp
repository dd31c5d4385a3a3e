// Errors of the outbound HTTP client. Each value has a kind (storage/error_kind.hpp) so the
// delivery worker can decide retry-or-drop without knowing HTTP details.
#pragma once

#include "common/error_kind.hpp"

#include <boost/system/error_code.hpp>

#include <type_traits>

namespace civicpub::federation::http {

enum class HttpError {
  bad_url = 1,         // unparsable URL, userinfo, no host (invalid_input)
  unsupported_scheme,  // anything but http and https (invalid_input)
  blocked_address,     // the SSRF guard refused an address the name resolved to (forbidden)
  resolve_failed,      // DNS said no (transient: names come back)
  timeout,             // a resolve, connect, handshake, write or read deadline passed (transient)
  connect_failed,      // no resolved address accepted a connection (transient)
  tls_failed,          // handshake or certificate/hostname verification failed (transient)
  write_failed,        // the request could not be sent (transient)
  read_failed,         // the connection broke or the peer spoke bad HTTP (transient)
  too_large,           // the response headers or body went over the cap (too_large)
  too_many_redirects,  // more than max_redirects hops (invalid_input: the target is wrong)
  bad_redirect,        // a 3xx without a usable Location (invalid_input)
  host_busy,           // the host has its share of fetches in flight already (transient)
  host_backing_off,    // the host failed repeatedly; not asked again for a while (transient)
  recently_failed,     // this URL failed a moment ago; not fetched again yet (transient)
  cancelled,           // whoever waited for the answer went away (transient)
};

// CIDR strings come from the config file; the messages name what is wrong with them.
enum class CidrError {
  missing_prefix = 1,  // no "/"
  bad_address,         // the part before "/" is no IPv4 or IPv6 address
  bad_prefix,          // the part after "/" is no number, or larger than the address width
  host_bits_set,       // bits beyond the prefix are not zero (10.0.0.1/8): likely a typo
};

const KindedCategory& http_category() noexcept;
const KindedCategory& cidr_category() noexcept;

inline boost::system::error_code make_error_code(HttpError e) noexcept {
  return {static_cast<int>(e), http_category()};
}
inline boost::system::error_code make_error_code(CidrError e) noexcept {
  return {static_cast<int>(e), cidr_category()};
}

}  // namespace civicpub::federation::http

template <>
struct boost::system::is_error_code_enum<civicpub::federation::http::HttpError> : std::true_type {};
template <>
struct boost::system::is_error_code_enum<civicpub::federation::http::CidrError> : std::true_type {};
