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


// What GET on a deleted object's id serves with 410.
std::string render_tombstone(const std::string& id, const std::string& former_type,
                             Millis deleted);

}  // namespace civicpub::federation::as2
