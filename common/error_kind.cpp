#include "common/error_kind.hpp"

namespace civicpub {

std::string_view to_string(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::invalid_input: return "invalid_input";
    case ErrorKind::not_found: return "not_found";
    case ErrorKind::conflict: return "conflict";
    case ErrorKind::unauthorized: return "unauthorized";
    case ErrorKind::forbidden: return "forbidden";
    case ErrorKind::gone: return "gone";
    case ErrorKind::too_large: return "too_large";
    case ErrorKind::unsupported: return "unsupported";
    case ErrorKind::transient: return "transient";
    case ErrorKind::internal: return "internal";
  }
  return "internal";
}

ErrorKind kind_of(const boost::system::error_code& ec) noexcept {
  if (auto* kinded = dynamic_cast<const KindedCategory*>(&ec.category())) {
    return kinded->kind(ec.value());
  }
  if (ec.category() == boost::system::system_category() ||
      ec.category() == boost::system::generic_category()) {
    return ErrorKind::transient;
  }
  return ErrorKind::internal;
}

}  // namespace civicpub
