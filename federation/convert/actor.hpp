// Actor documents from stored actors (INTEROP.md section 1): what Mastodon, Fedify and the rest
// need to show an account, follow it and verify its signatures; its WebFinger JRD; and
// Update(actor) when a profile changes.
#pragma once

#include "federation/as2/actor.hpp"
#include "federation/as2/instance_info.hpp"
#include "federation/as2/json.hpp"
#include "storage/records.hpp"

#include <string>
#include <string_view>

namespace civicpub::federation::convert {

// The actor document with its @context.
std::string render_actor(const storage::ActorRecord& actor, const as2::InstanceInfo& instance,
                         const as2::ActorExtras& extras = {});

// The actor's members without @context, for embedding (Update(actor)).
void write_actor_members(as2::JsonWriter& out, const storage::ActorRecord& actor,
                         const as2::InstanceInfo& instance, const as2::ActorExtras& extras);

// The AS2 type we publish for an actor: the record's type when it is one of Person,
// Organization, Service, Application, Group; Application for the instance actor; else Person.
std::string_view actor_type(const storage::ActorRecord& actor, const as2::InstanceInfo& instance);

// Update{actor} addressed to Public, embedding the whole actor document.
std::string render_update_actor(const std::string& id, const storage::ActorRecord& actor,
                                const as2::InstanceInfo& instance,
                                const as2::ActorExtras& extras = {});

// The WebFinger JRD of a local actor: subject acct:user@handle-domain, aliases, the self link
// (application/activity+json) and the profile page.
std::string render_jrd(const storage::ActorRecord& actor, const as2::InstanceInfo& instance);

}  // namespace civicpub::federation::convert
