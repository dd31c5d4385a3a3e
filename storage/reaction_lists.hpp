// Keyset pages of reactions and bookmarks for the client API (favourited_by, reblogged_by,
// GET /api/v1/favourites, GET /api/v1/bookmarks), and the one reaction or bookmark of an account
// on a post. Positions are the reactions or bookmarks row ids.
#pragma once

#include "storage/connection.hpp"
#include "storage/follow_lists.hpp"
#include "storage/paging.hpp"
#include "storage/records.hpp"

#include <optional>
#include <vector>

namespace civicpub::storage {

struct ListedPost {
  std::int64_t position = 0;
  PostRecord post;
};

}  // namespace civicpub::storage

namespace civicpub::storage::reactions {

Result<std::optional<ReactionRecord>> find(Connection& conn, ReactionKind kind,
                                           std::int64_t actor_id, std::int64_t post_id);
// The local accounts that reacted to the post with `kind`, in the order they did.
Result<std::vector<std::int64_t>> local_actors(Connection& conn, std::int64_t post_id,
                                               ReactionKind kind);
// The actors (not deleted) that reacted to the post with `kind`, newest first.
Result<std::vector<follows::ListedActor>> reacting_actors(Connection& conn, std::int64_t post_id,
                                                          ReactionKind kind,
                                                          const PageQuery& query);
// The posts (not deleted) `actor_id` liked, newest like first.
Result<std::vector<ListedPost>> liked_posts(Connection& conn, std::int64_t actor_id,
                                            const PageQuery& query);

}  // namespace civicpub::storage::reactions

namespace civicpub::storage::bookmarks {

// Idempotent; returns whether a row was added / removed.
Result<bool> add(Connection& conn, std::int64_t account_id, std::int64_t post_id, Millis now);
Result<bool> remove(Connection& conn, std::int64_t account_id, std::int64_t post_id);
Result<bool> exists(Connection& conn, std::int64_t account_id, std::int64_t post_id);
// The account's bookmarked posts (not deleted), newest bookmark first.
Result<std::vector<ListedPost>> page(Connection& conn, std::int64_t account_id,
                                     const PageQuery& query);

}  // namespace civicpub::storage::bookmarks
