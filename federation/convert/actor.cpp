#include "federation/convert/actor.hpp"

#include "federation/as2/activities.hpp"
#include "federation/as2/time_format.hpp"
#include "federation/as2/webfinger.hpp"

#include <array>

namespace civicpub::federation::convert {
using namespace as2;
namespace {

constexpr std::array<std::string_view, 5> kActorTypes = {"Person", "Organization", "Service",
                                                         "Application", "Group"};

void write_public_key(JsonWriter& out, const storage::ActorRecord& actor) {
  out.key("publicKey");
  out.start_object();
  // Mastodon and Fedify look the key up by `<actor>#main-key` (INTEROP.md section 2).
  out.field("id", actor.key_id.empty() ? actor.uri + "#main-key" : actor.key_id);
  out.field("owner", actor.uri);
  out.field("publicKeyPem", actor.public_key_pem);
  out.end_object();
}

// FEP-521a: the key under `assertionMethod` is a Multikey whose controller is the actor. Its id
// dereferences to this document (Fedify's fetchKey looks the id up among assertionMethod).
void write_assertion_method(JsonWriter& out, const storage::ActorRecord& actor,
                            const std::string& multikey) {
  if (multikey.empty()) return;
  out.key("assertionMethod");
  out.start_array();
  out.start_object();
  out.field("id", actor.uri + std::string(kAssertionKeyFragment));
  out.field("type", "Multikey");
  out.field("controller", actor.uri);
  out.field("publicKeyMultibase", multikey);
  out.end_object();
  out.end_array();
}

void write_extras(JsonWriter& out, const ActorExtras& extras) {
  if (extras.icon && !extras.icon->url.empty()) {
    out.key("icon");
    out.start_object();
    out.field("type", "Image");
    out.field_if("mediaType", extras.icon->media_type);
    out.field("url", extras.icon->url);
    out.end_object();
  }
  if (!extras.fields.empty()) {
    out.key("attachment");
    out.start_array();
    for (const auto& f : extras.fields) {
      out.start_object();
      out.field("type", "PropertyValue");
      out.field("name", f.name);
      out.field("value", f.value_html);
      out.end_object();
    }
    out.end_array();
  }
}

void write_group(JsonWriter& out, const GroupActorExtras& group) {
  // Lemmy reads the moderators from the collection the group's attributedTo names.
  out.field_if("attributedTo", group.moderators);
  out.field_if("featured", group.featured);
  out.field("postingRestrictedToMods", group.posting_restricted_to_mods);
  out.field("sensitive", group.sensitive);
}

}  // namespace

std::string_view actor_type(const storage::ActorRecord& actor, const InstanceInfo& instance) {
  if (!instance.instance_actor_id.empty() && actor.uri == instance.instance_actor_id) {
    return "Application";
  }
  for (auto t : kActorTypes) {
    if (actor.type == t) return t;
  }
  return "Person";
}

void write_actor_members(JsonWriter& out, const storage::ActorRecord& actor,
                         const InstanceInfo& instance, const ActorExtras& extras) {
  out.field("id", actor.uri);
  out.field("type", actor_type(actor, instance));
  out.field("preferredUsername", actor.username);
  out.field("name", actor.display_name.empty() ? actor.username : actor.display_name);
  out.field("summary", actor.summary_html);
  out.field("inbox", actor.inbox);
  out.field_if("outbox", actor.outbox);
  out.field_if("followers", actor.followers);
  out.field_if("following", actor.following);
  out.key("endpoints");
  out.start_object();
  out.field("sharedInbox",
            actor.shared_inbox.empty() ? instance.shared_inbox() : actor.shared_inbox);
  out.end_object();
  out.field_if("url", actor.url);
  write_public_key(out, actor);
  write_assertion_method(out, actor, extras.assertion_key);
  if (actor.created_at > 0) out.field("published", format_iso8601_ms(actor.created_at));
  out.field("manuallyApprovesFollowers", actor.manually_approves_followers);
  out.field("discoverable", actor.discoverable);
  out.field("indexable", extras.indexable.value_or(actor.discoverable));
  write_extras(out, extras);
  if (extras.group) write_group(out, *extras.group);
}

std::string render_actor(const storage::ActorRecord& actor, const InstanceInfo& instance,
                         const ActorExtras& extras) {
  JsonWriter out;
  out.start_object();
  out.context(extras.group ? kGroupActorContext : kActorContext);
  write_actor_members(out, actor, instance, extras);
  out.end_object();
  return out.str();
}

std::string render_update_actor(const std::string& id, const storage::ActorRecord& actor,
                                const InstanceInfo& instance, const ActorExtras& extras) {
  JsonWriter out;
  out.start_object();
  out.context(extras.group ? kGroupActorContext : kActorContext);
  out.field("id", id);
  out.field("type", "Update");
  out.field("actor", actor.uri);
  out.key("to");
  out.start_array();
  out.string(kPublic);
  out.end_array();
  out.key("object");
  out.start_object();
  write_actor_members(out, actor, instance, extras);
  out.end_object();
  out.end_object();
  return out.str();
}

std::string render_jrd(const storage::ActorRecord& actor, const InstanceInfo& instance) {
  const std::string& domain =
      actor.domain.empty() ? instance.effective_handle_domain() : actor.domain;
  JsonWriter out;
  out.start_object();
  out.field("subject", "acct:" + actor.username + "@" + domain);
  out.key("aliases");
  out.start_array();
  out.string(actor.uri);
  if (!actor.url.empty() && actor.url != actor.uri) out.string(actor.url);
  out.end_array();
  out.key("links");
  out.start_array();
  out.start_object();
  out.field("rel", "self");
  out.field("type", kActivityJson);
  out.field("href", actor.uri);
  out.end_object();
  if (!actor.url.empty()) {
    out.start_object();
    out.field("rel", "http://webfinger.net/rel/profile-page");
    out.field("type", "text/html");
    out.field("href", actor.url);
    out.end_object();
  }
  out.end_array();
  out.end_object();
  return out.str();
}

}  // namespace civicpub::federation::convert
