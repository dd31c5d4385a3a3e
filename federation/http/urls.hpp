// Small questions about URLs that the remote fetchers, the inbox and delivery all ask: whose
// origin is this, which host. Parsed with Boost.URL through url_target.hpp, so they agree with
// what the HTTP client would connect to.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace civicpub::federation::http {

// The URI without its fragment (key ids are `<actor>#main-key`).
std::string strip_fragment(std::string_view uri);

// "https://host[:port]" of an http(s) URL, lowercase, default port omitted; nullopt when the
// text is no such URL.
std::optional<std::string> origin_of(std::string_view url);
// host[:port] as in a handle domain (default port omitted), lowercase, or nullopt.
std::optional<std::string> authority_of(std::string_view url);
// The host name alone (no port), lowercase, or nullopt.
std::optional<std::string> host_of(std::string_view url);

}  // namespace civicpub::federation::http
