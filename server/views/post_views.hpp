// Read-side queries behind GET on a local post and its collections.
#pragma once

#include "federation/as2/collection.hpp"
#include "server/views/note_view.hpp"
#include "storage/connection.hpp"
#include "storage/database.hpp"
#include "storage/records.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace civicpub::server::views {

struct PostWithAuthor {
  storage::PostRecord post;
  storage::ActorRecord author;
  NoteDetails details;  // its Mention and Hashtag tags (empty for a deleted post)
};

// The local post at <actor id>/statuses/<post_id> (server/views/post_urls.hpp) as an anonymous
// requester may see it: public and unlisted only; followers-only and direct posts are
// ViewError::not_found, exactly like a post that never existed (STYLE.md rule 5). A deleted post,
// or any visible post of a deleted account, comes back with `post.deleted_at` set: the caller
// answers 410 with a Tombstone.
Result<PostWithAuthor> find_public_post(storage::Database& db, std::string_view username,
                                        std::string_view post_id);

// The collections of a local post (server/views/post_urls.hpp):
//   replies  its direct public and unlisted replies, local and remote, oldest first (ids)
//   context  a thread root's FEP-7888 conversation: every public and unlisted post stored with
//            the root's context, oldest first (ids), attributedTo the root's author (FEP-f228)
//   likes, shares  counts only (a Collection with totalItems)
enum class PostCollection { replies, context, likes, shares };

struct CountedCollection {
  std::string id;
  std::uint64_t total_items = 0;
};

// Exactly one is set: the OrderedCollection (no page asked for), one page of it, or the
// counted collection of likes and shares.
struct PostCollectionAnswer {
  std::optional<federation::as2::OrderedCollectionView> collection;
  std::optional<federation::as2::CollectionPageView> page;
  std::optional<CountedCollection> counted;
};

// `page`: nullopt for the collection document, else a 1-based page number (a page past the end
// is empty). ViewError::not_found when the post is not visible (as find_public_post), for the
// context of a post that is no thread root of its own, and for a page of likes or shares (they
// have none); ViewError::gone for a deleted post or account.
Result<PostCollectionAnswer> post_collection(storage::Database& db, std::string_view username,
                                             std::string_view post_id, PostCollection which,
                                             std::optional<std::uint64_t> page);

}  // namespace civicpub::server::views
