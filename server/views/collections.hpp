// The collections of a local actor: followers, following and outbox, as paged
// OrderedCollections (as2/collection.hpp).
//
// Followers and following are public, item by item, as Mastodon shows them unless the owner hides
// them: civic accounts have no reason to hide who follows them, and there is no setting for it.
// Only accepted follows are listed, and the counts are the lists' lengths.
#pragma once

#include "federation/as2/collection.hpp"
#include "federation/as2/instance_info.hpp"
#include "storage/database.hpp"

#include <cstdint>
#include <optional>
#include <string_view>

namespace civicpub::server::views {

// moderators and featured exist for groups only (404 for other actors): the moderators
// collection is the group's `attributedTo` (Lemmy reads its moderators there); featured lists
// the featured (pinned) threads' top posts, most recently featured first. A group's outbox
// lists its Announces.
enum class ActorCollection { followers, following, outbox, moderators, featured };

inline constexpr std::uint64_t kCollectionPageSize = 20;

// The collection itself (no page asked for) or one page of it; exactly one is set.
struct CollectionAnswer {
  std::optional<federation::as2::OrderedCollectionView> collection;
  std::optional<federation::as2::CollectionPageView> page;
};

// `page`: nullopt for the collection document, else a 1-based page number (a page past the end
// is empty). The outbox lists the Create activities of public and unlisted posts, newest first,
// rendered as JSON; the others list actor ids, newest follow first. ViewError::not_found,
// ViewError::gone for a deleted actor.
Result<CollectionAnswer> actor_collection(storage::Database& db, std::string_view username,
                                          ActorCollection which, std::optional<std::uint64_t> page);

// The context collection of a thread started in the group `username` (FEP-7888, FEP-f228):
// <group>/context/<key> (post_urls.hpp, group_context_url), attributedTo the group, listing the
// ids of every public and unlisted post stored with that context, oldest first; removed and
// deleted posts are left out. ViewError::not_found for an actor that is no group, or a key
// no stored post has; ViewError::gone for a deleted group.
Result<CollectionAnswer> group_context(storage::Database& db, std::string_view username,
                                       std::string_view key, std::optional<std::uint64_t> page);

}  // namespace civicpub::server::views
