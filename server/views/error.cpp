#include "server/views/error.hpp"

#include <string>

namespace civicpub::server::views {
namespace {

class ViewCategory final : public civicpub::KindedCategory {
 public:
  const char* name() const noexcept override { return "civicpub.views"; }
  std::string message(int value) const override {
    switch (static_cast<ViewError>(value)) {
      case ViewError::not_found: return "not found";
      case ViewError::gone: return "gone";
      case ViewError::bad_parameter: return "malformed parameter";
    }
    return "unknown view error";
  }
  ErrorKind kind(int value) const noexcept override {
    switch (static_cast<ViewError>(value)) {
      case ViewError::gone: return ErrorKind::gone;
      case ViewError::bad_parameter: return ErrorKind::invalid_input;
      default: return ErrorKind::not_found;
    }
  }
};

}  // namespace

const civicpub::KindedCategory& view_error_category() noexcept {
  static const ViewCategory category;
  return category;
}

}  // namespace civicpub::server::views
