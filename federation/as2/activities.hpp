// Builders for the activities civicpub sends. Ids are passed in: the caller mints and stores
// them, so a redelivery renders the same document.
#pragma once

#include "federation/as2/actor.hpp"
#include "federation/as2/note.hpp"

#include <rapidjson/document.h>

#include <string>

namespace civicpub::federation::as2 {

std::string render_follow(const std::string& id, const std::string& actor,
                          const std::string& object);

// Accept / Reject of a received Follow. `actor` is the followed account; `follow` is the Follow
// as parsed, embedded verbatim (every member but @context and signatures), because Mastodon's
// Follow ids cannot be fetched and it matches the embedded id/actor/object (INTEROP.md 3).
std::string render_accept(const std::string& id, const std::string& actor,
                          const rapidjson::Value& follow);
std::string render_reject(const std::string& id, const std::string& actor,
                          const rapidjson::Value& follow);

// Undo with the undone activity embedded (peers match Undo{Follow} on actor and object).
std::string render_undo(const std::string& id, const std::string& actor,
                        const rapidjson::Value& object);

// Create / Update wrapping a Note; to/cc copy the note's addressing.
std::string render_create_note(const std::string& id, const NoteView& note);
std::string render_update_note(const std::string& id, const NoteView& note);

// Delete of a note: the object is a Tombstone with the note id; `addressing` should be the
// deleted note's, so everyone who got it hears of the deletion.
std::string render_delete(const std::string& id, const std::string& actor,
                          const std::string& object_id, const Addressing& addressing);


// FEP-1b12: a group's Announce of a member's activity, embedded unchanged (every member, its
// @context and its integrity proof included, so the author's proof still verifies).
// `addressing`: Public in `to`, the group's followers in `cc` for public groups.
std::string render_group_announce(const std::string& id, const std::string& group,
                                  const rapidjson::Value& activity, const Addressing& addressing,
                                  Millis published);

// Announce of a bare object id (Mastodon shows no Announce of an activity: a group announces a
// new thread's top post like a boost, so its followers there see the thread).
std::string render_announce_object(const std::string& id, const std::string& actor,
                                   const std::string& object_id, const Addressing& addressing,
                                   Millis published);

// Reject{object: <activity id>}: a group refusing a post (members only, moderators only).
std::string render_reject_activity(const std::string& id, const std::string& actor,
                                   const std::string& activity_id, const std::string& to);

// What GET on a deleted object's id serves with 410.
std::string render_tombstone(const std::string& id, const std::string& former_type,
                             Millis deleted);

}  // namespace civicpub::federation::as2
