#include "federation/as2/json.hpp"

namespace civicpub::federation::as2 {

void JsonWriter::string_array(std::string_view k, const std::vector<std::string>& values) {
  key(k);
  start_array();
  for (const auto& v : values) string(v);
  end_array();
}

void JsonWriter::context(std::string_view context_json) {
  key("@context");
  const bool is_array = !context_json.empty() && context_json.front() == '[';
  raw(context_json, is_array ? rapidjson::kArrayType : rapidjson::kStringType);
}

}  // namespace civicpub::federation::as2
