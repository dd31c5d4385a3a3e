// A group moderator's activities in Lemmy's shapes (lemmy crates/apub assets: remove_note,
// lock_page, add_featured_post, remove_featured_post, block_user and their Undo): the group
// announces them to its members (FEP-1b12), as Lemmy's communities do.
#pragma once

#include <rapidjson/document.h>

#include <string>

namespace civicpub::federation::as2 {

struct ModerationView {
  std::string id;
  std::string type;     // Delete (a moderator's removal), Lock, Add, Remove, Block
  std::string actor;    // the moderator (Lemmy wants a person), or the group itself
  std::string object;   // the post (Delete, Lock, Add, Remove) or the actor blocked (Block)
  std::string target;   // Add/Remove: <group>/featured; Block: the group; else empty
  std::string group;    // in `cc` and `audience`
  std::string summary;  // the reason (Lemmy: a Delete with a summary is a moderator's removal)
};

// {id, type, actor, to: [Public], object, cc: [group], audience: group, target?, summary?}.
std::string render_moderation(const ModerationView& m);

// Undo{object: <the undone activity, embedded>} with the same addressing (Lemmy's
// undo_lock_page, undo_block_user).
std::string render_undo_moderation(const std::string& id, const std::string& actor,
                                   const std::string& group, const rapidjson::Value& undone);

}  // namespace civicpub::federation::as2
