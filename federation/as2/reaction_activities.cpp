#include "federation/as2/reaction_activities.hpp"

#include "federation/as2/json.hpp"

namespace civicpub::federation::as2 {

std::string render_like(const std::string& id, const std::string& actor,
                        const std::string& object_id, const std::string& to) {
  JsonWriter out;
  out.start_object();
  out.context(kActivityContext);
  out.field("id", id);
  out.field("type", "Like");
  out.field("actor", actor);
  out.string_array("to", {to});
  out.field("object", object_id);
  out.end_object();
  return out.str();
}

}  // namespace civicpub::federation::as2
