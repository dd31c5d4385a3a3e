#include "federation/as2/activities.hpp"

#include "federation/as2/time_format.hpp"

namespace civicpub::federation::as2 {
namespace {

// Members of an embedded activity we do not repeat: a nested @context is noise to JSON-LD
// processors, and an LD signature or proof signs the outer document it came in, not ours.
bool is_envelope_member(std::string_view name) {
  return name == "@context" || name == "signature" || name == "proof";
}

void write_embedded(JsonWriter& out, const rapidjson::Value& object) {
  if (!object.IsObject()) {
    out.value(object);  // a bare id: embed as given
    return;
  }
  out.start_object();
  for (const auto& m : object.GetObject()) {
    const std::string_view name(m.name.GetString(), m.name.GetStringLength());
    if (is_envelope_member(name)) continue;
    out.key(name);
    out.value(m.value);
  }
  out.end_object();
}

std::string render_wrapping(std::string_view type, const std::string& id, const std::string& actor,
                            const rapidjson::Value& object) {
  JsonWriter out;
  out.start_object();
  out.context(kActivityContext);
  out.field("id", id);
  out.field("type", type);
  out.field("actor", actor);
  out.key("object");
  write_embedded(out, object);
  out.end_object();
  return out.str();
}

std::string render_note_activity(std::string_view type, const std::string& id,
                                 const NoteView& note) {
  const auto addressing = addressing_for(note);
  JsonWriter out;
  out.start_object();
  out.context(note_context(note));
  out.field("id", id);
  out.field("type", type);
  out.field("actor", note.attributed_to);
  out.field("published",
            format_iso8601_ms(type == "Update" && note.updated ? *note.updated : note.published));
  out.string_array("to", addressing.to);
  out.string_array("cc", addressing.cc);
  out.key("object");
  out.start_object();
  write_note_members(out, note);
  out.end_object();
  out.end_object();
  return out.str();
}

}  // namespace

std::string render_follow(const std::string& id, const std::string& actor,
                          const std::string& object) {
  JsonWriter out;
  out.start_object();
  out.context(kActivityContext);
  out.field("id", id);
  out.field("type", "Follow");
  out.field("actor", actor);
  out.field("object", object);
  out.end_object();
  return out.str();
}

std::string render_accept(const std::string& id, const std::string& actor,
                          const rapidjson::Value& follow) {
  return render_wrapping("Accept", id, actor, follow);
}

std::string render_reject(const std::string& id, const std::string& actor,
                          const rapidjson::Value& follow) {
  return render_wrapping("Reject", id, actor, follow);
}

std::string render_undo(const std::string& id, const std::string& actor,
                        const rapidjson::Value& object) {
  return render_wrapping("Undo", id, actor, object);
}

std::string render_create_note(const std::string& id, const NoteView& note) {
  return render_note_activity("Create", id, note);
}

std::string render_update_note(const std::string& id, const NoteView& note) {
  return render_note_activity("Update", id, note);
}

std::string render_delete(const std::string& id, const std::string& actor,
                          const std::string& object_id, const Addressing& addressing) {
  JsonWriter out;
  out.start_object();
  out.context(kActivityContext);
  out.field("id", id);
  out.field("type", "Delete");
  out.field("actor", actor);
  out.string_array("to", addressing.to);
  out.string_array("cc", addressing.cc);
  out.key("object");
  out.start_object();
  out.field("id", object_id);
  out.field("type", "Tombstone");
  out.end_object();
  out.end_object();
  return out.str();
}

namespace {

void write_announce_head(JsonWriter& out, std::string_view context, const std::string& id,
                         const std::string& actor, const Addressing& addressing,
                         Millis published) {
  out.start_object();
  out.context(context);
  out.field("id", id);
  out.field("type", "Announce");
  out.field("actor", actor);
  out.field("published", format_iso8601_ms(published));
  out.string_array("to", addressing.to);
  out.string_array("cc", addressing.cc);
}

}  // namespace

std::string render_group_announce(const std::string& id, const std::string& group,
                                  const rapidjson::Value& activity, const Addressing& addressing,
                                  Millis published) {
  JsonWriter out;
  write_announce_head(out, kActivityContext, id, group, addressing, published);
  out.key("object");
  out.value(activity);  // unchanged: FEP-1b12 (and the embedded proof) require it
  out.end_object();
  return out.str();
}

std::string render_announce_object(const std::string& id, const std::string& actor,
                                   const std::string& object_id, const Addressing& addressing,
                                   Millis published) {
  JsonWriter out;
  write_announce_head(out, kActivityContext, id, actor, addressing, published);
  out.field("object", object_id);
  out.end_object();
  return out.str();
}

std::string render_reject_activity(const std::string& id, const std::string& actor,
                                   const std::string& activity_id, const std::string& to) {
  JsonWriter out;
  out.start_object();
  out.context(kActivityContext);
  out.field("id", id);
  out.field("type", "Reject");
  out.field("actor", actor);
  out.string_array("to", {to});
  out.field("object", activity_id);
  out.end_object();
  return out.str();
}

std::string render_tombstone(const std::string& id, const std::string& former_type,
                             Millis deleted) {
  JsonWriter out;
  out.start_object();
  out.context(kActivityContext);
  out.field("id", id);
  out.field("type", "Tombstone");
  out.field_if("formerType", former_type);
  out.field("deleted", format_iso8601_ms(deleted));
  out.end_object();
  return out.str();
}

}  // namespace civicpub::federation::as2
