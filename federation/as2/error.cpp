#include "federation/as2/error.hpp"

#include <string>

namespace civicpub::federation::as2 {
namespace {

class As2Category final : public KindedCategory {
 public:
  const char* name() const noexcept override { return "civicpub.as2"; }

  std::string message(int value) const override {
    switch (static_cast<DocumentError>(value)) {
      case DocumentError::malformed_json: return "malformed JSON";
      case DocumentError::too_large: return "document too large";
      case DocumentError::too_deep: return "document nested too deeply";
      case DocumentError::array_too_long: return "array too long";
      case DocumentError::not_an_object: return "not a JSON object";
      case DocumentError::missing_id: return "activity has no id";
      case DocumentError::missing_type: return "activity has no type";
      case DocumentError::missing_actor: return "activity has no actor";
      case DocumentError::bad_resource: return "malformed WebFinger resource";
      case DocumentError::bad_date: return "malformed date";
      case DocumentError::too_many_members: return "object has too many members";
    }
    return "unknown as2 error";
  }

  ErrorKind kind(int value) const noexcept override {
    switch (static_cast<DocumentError>(value)) {
      // Only the byte count is a 413; a deep or wide document is malformed input (400).
      case DocumentError::too_large: return ErrorKind::too_large;
      default: return ErrorKind::invalid_input;
    }
  }
};

}  // namespace

const KindedCategory& as2_category() noexcept {
  static const As2Category category;
  return category;
}

}  // namespace civicpub::federation::as2
