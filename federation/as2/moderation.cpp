#include "federation/as2/moderation.hpp"

#include "federation/as2/json.hpp"

namespace civicpub::federation::as2 {
namespace {

constexpr std::string_view kPublic = "https://www.w3.org/ns/activitystreams#Public";

void write_head(JsonWriter& out, const std::string& id, std::string_view type,
                const std::string& actor, const std::string& group) {
  out.start_object();
  out.context(kActivityContext);
  out.field("id", id);
  out.field("type", type);
  out.field("actor", actor);
  out.string_array("to", {std::string(kPublic)});
  out.string_array("cc", {group});
  out.field("audience", group);
}

}  // namespace

std::string render_moderation(const ModerationView& m) {
  JsonWriter out;
  write_head(out, m.id, m.type, m.actor, m.group);
  out.field("object", m.object);
  out.field_if("target", m.target);
  out.field_if("summary", m.summary);
  out.end_object();
  return out.str();
}

std::string render_undo_moderation(const std::string& id, const std::string& actor,
                                   const std::string& group, const rapidjson::Value& undone) {
  JsonWriter out;
  write_head(out, id, "Undo", actor, group);
  out.key("object");
  out.start_object();
  for (const auto& m : undone.GetObject()) {
    const std::string_view name(m.name.GetString(), m.name.GetStringLength());
    if (name == "@context" || name == "proof" || name == "signature") continue;
    out.key(name);
    out.value(m.value);
  }
  out.end_object();
  out.end_object();
  return out.str();
}

}  // namespace civicpub::federation::as2
