// The activities a local account sends when it favourites a post: Like (Announce is
// render_announce_object in activities.hpp).
#pragma once

#include <string>

namespace civicpub::federation::as2 {

// Like of a post, Mastodon's shape: the post as a bare id, addressed to its author.
std::string render_like(const std::string& id, const std::string& actor,
                        const std::string& object_id, const std::string& to);

}  // namespace civicpub::federation::as2
