#include "server/http/errors.hpp"

#include <string>

namespace civicpub::server::http {
namespace {

class Category final : public civicpub::KindedCategory {
 public:
  const char* name() const noexcept override { return "civicpub.http"; }

  std::string message(int value) const override {
    switch (static_cast<ServerError>(value)) {
      case ServerError::invalid_cidr: return "not an IP address or CIDR range";
      case ServerError::invalid_address: return "not an IP address";
      case ServerError::tls_setup_failed: return "TLS certificate or key unusable";
      case ServerError::bind_failed: return "cannot listen on the address";
      case ServerError::already_started: return "server already started";
    }
    return "unknown http error";
  }

  ErrorKind kind(int value) const noexcept override {
    switch (static_cast<ServerError>(value)) {
      case ServerError::invalid_cidr:
      case ServerError::invalid_address:
      case ServerError::tls_setup_failed: return ErrorKind::invalid_input;
      case ServerError::bind_failed: return ErrorKind::transient;
      case ServerError::already_started: return ErrorKind::conflict;
    }
    return ErrorKind::internal;
  }
};

}  // namespace

const civicpub::KindedCategory& server_error_category() noexcept {
  static const Category category;
  return category;
}

}  // namespace civicpub::server::http
