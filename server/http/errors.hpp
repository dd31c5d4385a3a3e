// Expected failures of the HTTP layer's set-up (bad settings, bind or TLS trouble), as values with
// a kind (STYLE.md rule 4). Per-request failures never use this: they become responses.
#pragma once

#include "common/error_kind.hpp"

#include <boost/system/error_code.hpp>

#include <type_traits>

namespace civicpub::server::http {

enum class ServerError {
  invalid_cidr = 1,  // a trusted_proxies entry is not an address or CIDR
  invalid_address,   // the listen address does not parse
  tls_setup_failed,  // certificate or key file missing or unusable
  bind_failed,       // the address is taken or not ours
  already_started,
};

const civicpub::KindedCategory& server_error_category() noexcept;

inline boost::system::error_code make_error_code(ServerError e) noexcept {
  return {static_cast<int>(e), server_error_category()};
}

}  // namespace civicpub::server::http

template <>
struct boost::system::is_error_code_enum<civicpub::server::http::ServerError> : std::true_type {};
