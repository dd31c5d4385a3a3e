#include "federation/as2/error.hpp"

#include <string>

namespace civicpub::federation::as2 {
namespace {

class As2Category final : public KindedCategory {
 public:
  const char* name() const noexcept override { return "civicpub.as2"; }

  std::string message(int value) const override {
    switch (static_cast<Errc>(value)) {
      case Errc::malformed_json: return "malformed JSON";
      case Errc::too_large: return "document too large";
      case Errc::too_deep: return "document nested too deeply";
      case Errc::array_too_long: return "array too long";
      case Errc::not_an_object: return "not a JSON object";
      case Errc::missing_id: return "activity has no id";
      case Errc::missing_type: return "activity has no type";
      case Errc::missing_actor: return "activity has no actor";
      case Errc::bad_resource: return "malformed WebFinger resource";
      case Errc::bad_date: return "malformed date";
    }
    return "unknown as2 error";
  }

  ErrorKind kind(int value) const noexcept override {
    switch (static_cast<Errc>(value)) {
      // Only the byte count is a 413; a deep or wide document is malformed input (400).
      case Errc::too_large: return ErrorKind::too_large;
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
