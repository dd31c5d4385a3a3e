// Parts of actor documents (INTEROP.md section 1) that are not in the stored actor record:
// icon, profile fields, the assertion key. federation/convert/actor.hpp renders the document.
#pragma once

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

// What an actor document may carry beyond the stored actor (federation/convert/actor.hpp).
struct ActorExtras {
  std::optional<ImageRef> icon;
  std::vector<ProfileField> fields;
  std::optional<bool> indexable;  // full-text search opt-in; defaults to `discoverable`
  // The actor's Ed25519 public key as a Multikey ("z6Mk..."): published under `assertionMethod`
  // (FEP-521a) with the id `<actor>#ed25519-key`; it verifies the actor's integrity proofs.
  std::string assertion_key;
};

}  // namespace civicpub::federation::as2
