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

// What a Group actor (FEP-1b12; INTEROP.md section 5) carries besides an account's fields, as
// Lemmy, PieFed, Mbin and NodeBB read it.
struct GroupActorExtras {
  std::string moderators;  // the moderators collection: the group's `attributedTo` (Lemmy)
  std::string featured;    // the featured (pinned) posts collection (Mastodon's and Lemmy's term)
  bool posting_restricted_to_mods = false;  // Lemmy: only moderators start threads
  bool sensitive = false;                   // Lemmy: the community is NSFW
};

// What an actor document may carry beyond the stored actor (federation/convert/actor.hpp).
struct ActorExtras {
  std::optional<ImageRef> icon;
  std::vector<ProfileField> fields;
  std::optional<bool> indexable;  // full-text search opt-in; defaults to `discoverable`
  // The actor's Ed25519 public key as a Multikey ("z6Mk..."): published under `assertionMethod`
  // (FEP-521a) with the id `<actor>#ed25519-key`; it verifies the actor's integrity proofs.
  std::string assertion_key;
  std::optional<GroupActorExtras> group;  // set for Group actors
};

}  // namespace civicpub::federation::as2
