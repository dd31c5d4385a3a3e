// An author's edit or deletion of a post in one of our groups (issue 12; FEP-1b12): the group
// announces the author's Update or Delete, embedded unchanged, to its members, as it announced
// the Create, so every member's server edits or drops its copy (Lemmy communities do the same).
// Called for a remote author's activity (inbound/group_intake.hpp) and for `civicpub post
// edit|delete` of a local post (post_writes.hpp).
#pragma once

#include "storage/connection.hpp"
#include "storage/records.hpp"

#include <rapidjson/document.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace civicpub::server::services {

// Queues Announce{activity} from the live local group that announced `post_uri` to its members.
// Nothing (0) for a post no group announced, or one a moderator removed from the group (its
// members were told already). Redelivering the same activity queues nothing new (the deliveries
// are unique per activity and inbox). Returns the delivery rows queued.
Result<std::size_t> announce_change_in_group(storage::Connection& conn, std::string_view post_uri,
                                             const std::string& activity_id,
                                             const rapidjson::Value& activity, storage::Millis now);

}  // namespace civicpub::server::services
