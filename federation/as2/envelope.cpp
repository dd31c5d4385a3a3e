#include "federation/as2/envelope.hpp"

#include "federation/as2/error.hpp"
#include "federation/as2/reader.hpp"

#include <algorithm>

namespace civicpub::federation::as2 {

bool ActivityEnvelope::addressed_publicly() const {
  auto has_public = [](const std::vector<std::string>& list) {
    return std::any_of(list.begin(), list.end(), [](const auto& a) { return is_public(a); });
  };
  return has_public(to) || has_public(cc);
}

Result<ActivityEnvelope> read_envelope(const rapidjson::Value& activity) {
  if (!activity.IsObject()) return make_error_code(DocumentError::not_an_object);
  ActivityEnvelope env;
  // `id` must be the activity's own string id, not an object's: dedupe keys on it.
  const auto* id = find_member(activity, "id");
  if (!id || !id->IsString() || id->GetStringLength() == 0) {
    return make_error_code(DocumentError::missing_id);
  }
  env.id.assign(id->GetString(), id->GetStringLength());
  auto type = first_type(activity);
  if (!type || type->empty()) return make_error_code(DocumentError::missing_type);
  env.type = std::move(*type);
  auto actor = member_id(activity, "actor");
  if (!actor) return make_error_code(DocumentError::missing_actor);
  env.actor = std::move(*actor);
  if (const auto* object = find_member(activity, "object")) {
    env.object_id = id_of(*object);
    if (object->IsObject()) env.object = object;
  }
  env.to = member_ids(activity, "to");
  env.cc = member_ids(activity, "cc");
  env.audience = member_ids(activity, "audience");
  return env;
}

}  // namespace civicpub::federation::as2
