// WebFinger (RFC 7033) and host-meta (RFC 6415) documents, and reading the `resource` parameter.
// Mastodon checks that WebFinger of `preferredUsername@<actor host>` yields a `self` link equal to
// the actor id exactly (INTEROP.md section 1), so both must come from the same stored record.
#pragma once

#include "federation/as2/instance_info.hpp"
#include "common/error_kind.hpp"

#include <string>
#include <string_view>

namespace civicpub::federation::as2 {

struct WebfingerQuery {
  enum class Kind { acct, url };
  Kind kind = Kind::acct;
  std::string username;  // acct: as given (case kept; lookups decide about case)
  std::string domain;    // acct: lowercase host[:port]; url: lowercase host[:port] of the URL
  std::string url;       // url: the actor URL as given (decoded)
};

// Reads the `resource` query parameter, percent-encoded or not: `acct:user@domain` (the scheme
// may be omitted; the domain may carry a port), or an `http(s)://` actor URL. DocumentError::bad_resource
// for anything else.
Result<WebfingerQuery> parse_webfinger_resource(std::string_view resource);


// The host-meta XRD whose `lrdd` template points at our WebFinger endpoint.
std::string render_host_meta(const InstanceInfo& instance);

}  // namespace civicpub::federation::as2
