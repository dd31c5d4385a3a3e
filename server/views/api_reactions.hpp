// Read models of favourites, reblogs and bookmarks in the client API: who favourited or reblogged
// a status, and the statuses an account favourited or bookmarked (paged by the reaction or
// bookmark row id).
#pragma once

#include "server/views/api_reads.hpp"
#include "storage/paging.hpp"

#include <string_view>

namespace civicpub::server::views {

// The accounts that reacted with `kind` to the status with this id, newest first
// (ViewError::not_found when the caller may not see the status).
Result<TimelinePage> reacting_accounts(storage::Database& db, std::string_view status_id,
                                       storage::ReactionKind kind,
                                       const storage::PageQuery& query, const ApiView& view);

enum class SavedList { favourites, bookmarks };

// The statuses the viewer favourited or bookmarked and may still see, newest first.
Result<TimelinePage> saved_statuses(storage::Database& db, std::int64_t account_id,
                                    SavedList which, const storage::PageQuery& query,
                                    const ApiView& view);

}  // namespace civicpub::server::views
