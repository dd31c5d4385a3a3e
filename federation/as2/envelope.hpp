// The few fields inbox dispatch needs from any incoming activity, read leniently.
#pragma once

#include "common/error_kind.hpp"

#include <rapidjson/document.h>

#include <optional>
#include <string>
#include <vector>

namespace civicpub::federation::as2 {

struct ActivityEnvelope {
  std::string id;
  std::string type;   // the first type when several are given
  std::string actor;  // the first actor id
  std::optional<std::string> object_id;
  // The embedded object when `object` is a JSON object, else null. Points into the parsed
  // document, which must outlive the envelope.
  const rapidjson::Value* object = nullptr;
  std::vector<std::string> to;
  std::vector<std::string> cc;
  std::vector<std::string> audience;

  bool addressed_publicly() const;
};

// DocumentError::not_an_object, missing_id, missing_type or missing_actor; everything else is optional
// here and checked by the handler of the activity type.
Result<ActivityEnvelope> read_envelope(const rapidjson::Value& activity);

}  // namespace civicpub::federation::as2
