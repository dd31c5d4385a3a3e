#include "federation/http/error.hpp"

#include <string>

namespace civicpub::federation::http {
namespace {

class HttpCategory final : public KindedCategory {
 public:
  const char* name() const noexcept override { return "civicpub.http"; }

  std::string message(int value) const override {
    switch (static_cast<HttpError>(value)) {
      case HttpError::bad_url: return "malformed URL";
      case HttpError::unsupported_scheme: return "only http and https URLs are fetched";
      case HttpError::blocked_address: return "address refused by the SSRF guard";
      case HttpError::resolve_failed: return "host name did not resolve";
      case HttpError::timeout: return "deadline passed";
      case HttpError::connect_failed: return "connection refused or unreachable";
      case HttpError::tls_failed: return "TLS handshake or certificate verification failed";
      case HttpError::write_failed: return "sending the request failed";
      case HttpError::read_failed: return "reading the response failed";
      case HttpError::too_large: return "response over the size limit";
      case HttpError::too_many_redirects: return "too many redirects";
      case HttpError::bad_redirect: return "redirect without a usable Location";
      case HttpError::host_busy: return "too many fetches from this host in flight";
      case HttpError::host_backing_off: return "host failed repeatedly; backing off";
      case HttpError::recently_failed: return "fetch failed recently; not tried again yet";
      case HttpError::cancelled: return "fetch cancelled";
    }
    return "unknown http client error";
  }

  ErrorKind kind(int value) const noexcept override {
    switch (static_cast<HttpError>(value)) {
      case HttpError::bad_url:
      case HttpError::unsupported_scheme:
      case HttpError::too_many_redirects:
      case HttpError::bad_redirect: return ErrorKind::invalid_input;
      case HttpError::blocked_address: return ErrorKind::forbidden;
      case HttpError::too_large: return ErrorKind::too_large;
      case HttpError::resolve_failed:
      case HttpError::timeout:
      case HttpError::connect_failed:
      case HttpError::tls_failed:
      case HttpError::write_failed:
      case HttpError::read_failed:
      case HttpError::host_busy:
      case HttpError::host_backing_off:
      case HttpError::recently_failed:
      case HttpError::cancelled: return ErrorKind::transient;
    }
    return ErrorKind::internal;
  }
};

class CidrCategory final : public KindedCategory {
 public:
  const char* name() const noexcept override { return "civicpub.cidr"; }

  std::string message(int value) const override {
    switch (static_cast<CidrError>(value)) {
      case CidrError::missing_prefix: return "CIDR needs a prefix length, as in 127.0.0.0/8";
      case CidrError::bad_address: return "CIDR address is not an IPv4 or IPv6 address";
      case CidrError::bad_prefix:
        return "CIDR prefix length must be a number no larger than 32 (IPv4) or 128 (IPv6)";
      case CidrError::host_bits_set:
        return "CIDR address has bits set beyond the prefix length (write 10.0.0.0/8, not "
               "10.0.0.1/8)";
    }
    return "unknown CIDR error";
  }

  ErrorKind kind(int) const noexcept override { return ErrorKind::invalid_input; }
};

}  // namespace

const KindedCategory& http_category() noexcept {
  static const HttpCategory category;
  return category;
}

const KindedCategory& cidr_category() noexcept {
  static const CidrCategory category;
  return category;
}

}  // namespace civicpub::federation::http
