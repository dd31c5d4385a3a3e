// Actor documents (INTEROP.md section 1): what Mastodon, Fedify and the rest need to show an
// account, follow it and verify its signatures.
#pragma once

#include "federation/as2/instance_info.hpp"
#include "federation/as2/json.hpp"
#include "storage/records.hpp"

#include <optional>
#include <string>
#include <vector>

namespace civicpub::federation::as2 {

struct ImageRef {
  std::string url;
  std::string media_type;  // e.g. image/png; may be empty
};

// A profile field, shown by Mastodon as a PropertyValue row.
struct ProfileField {
  std::string name;
  std::string value_html;
};

// What an actor document may carry beyond storage::ActorRecord.
struct ActorExtras {
  std::optional<ImageRef> icon;
  std::vector<ProfileField> fields;
  std::optional<bool> indexable;  // full-text search opt-in; defaults to `discoverable`
  // The actor's Ed25519 public key as a Multikey ("z6Mk..."): published under `assertionMethod`
  // (FEP-521a) with the id `<actor>#ed25519-key`; it verifies the actor's integrity proofs.
  std::string assertion_key;
};

// The actor document with its @context.
std::string render_actor(const storage::ActorRecord& actor, const InstanceInfo& instance,
                         const ActorExtras& extras = {});

// The actor's members without @context, for embedding (Update(actor)).
void write_actor_members(JsonWriter& out, const storage::ActorRecord& actor,
                         const InstanceInfo& instance, const ActorExtras& extras);

// The AS2 type we publish for an actor: the record's type when it is one of Person,
// Organization, Service, Application, Group; Application for the instance actor; else Person.
std::string_view actor_type(const storage::ActorRecord& actor, const InstanceInfo& instance);

}  // namespace civicpub::federation::as2
