// Read-side query behind GET on a local post.
#pragma once

#include "storage/database.hpp"
#include "storage/records.hpp"

#include <string_view>

namespace civicpub::federation::views {

struct PostWithAuthor {
  storage::PostRecord post;
  storage::ActorRecord author;
};

// The local post at <actor id>/statuses/<post_id> (federation/post_urls.hpp) as an anonymous
// requester may see it: public and unlisted only; followers-only and direct posts are
// ViewError::not_found, exactly like a post that never existed (STYLE.md rule 5). A deleted post,
// or any visible post of a deleted account, comes back with `post.deleted_at` set: the caller
// answers 410 with a Tombstone.
Result<PostWithAuthor> find_public_post(storage::Database& db, std::string_view username,
                                        std::string_view post_id);

}  // namespace civicpub::federation::views
