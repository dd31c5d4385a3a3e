// Read models of the Mastodon client API: statuses as an account may see them, a thread's
// context, timelines and account lookups. Rendered with server/views/api_entities.
#pragma once

#include "server/views/api_entities.hpp"
#include "storage/database.hpp"
#include "storage/timelines.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace civicpub::server::views {

// May `viewer` (an account id; empty: anonymous) see `post`? Public and unlisted: anyone;
// followers-only: the author and accepted followers; direct: the author and the mentioned.
Result<bool> status_visible(storage::Connection& conn, const storage::PostRecord& post,
                            std::optional<std::int64_t> viewer);

// The post with this status id, not deleted and visible to view.viewer_id; ViewError::not_found
// otherwise (a malformed id too).
Result<storage::PostRecord> find_status(storage::Database& db, std::string_view id,
                                        const ApiView& view);
Result<std::string> status_json(storage::Database& db, std::string_view id, const ApiView& view);
// A post the caller already holds (just published, about to be deleted).
Result<std::string> status_json(storage::Database& db, const storage::PostRecord& post,
                                const ApiView& view);

// The caller's own status as StatusSource ({"id", "text", "spoiler_text"}; the text is the
// stored HTML as plain text), and any status the caller may see as its edit history: a
// StatusEdit per version, oldest first, the current one last (storage/post_versions.hpp).
// Another's status (source), one the caller may not see (history): ViewError::not_found.
Result<std::string> status_source_json(storage::Database& db, std::string_view id,
                                       const ApiView& view);
Result<std::string> status_history_json(storage::Database& db, std::string_view id,
                                        const ApiView& view);

// {"ancestors": [...], "descendants": [...]}: the stored posts above (top first) and below
// (oldest first, at most 200, 20 levels deep) that the viewer may see, without deleted ones.
Result<std::string> context_json(storage::Database& db, std::string_view id, const ApiView& view);

struct TimelinePage {
  std::string json;                      // the array of statuses
  std::optional<std::int64_t> newest_id;  // for the Link header's prev (min_id)
  std::optional<std::int64_t> oldest_id;  // for next (max_id)
};
// `viewer` empty: the public timeline; otherwise that account's home timeline.
Result<TimelinePage> timeline(storage::Database& db, const storage::timelines::TimelineQuery& query,
                              std::optional<std::int64_t> home_of, const ApiView& view);

// Public statuses tagged `tag` (lowercase, without '#'), newest first.
Result<TimelinePage> tag_timeline(storage::Database& db, std::string_view tag,
                                  const storage::timelines::TimelineQuery& query,
                                  const ApiView& view);

// The statuses of the account with this id that the viewer may see, newest first
// (ViewError::not_found for an unknown or deleted account).
Result<TimelinePage> account_statuses(storage::Database& db, std::string_view account_id,
                                      const storage::timelines::TimelineQuery& query,
                                      const ApiView& view);

// An account by id (local or remote, not deleted), or by `acct` (username for local accounts,
// user@domain for any stored one). ViewError::not_found otherwise.
Result<std::string> account_json_by_id(storage::Database& db, std::string_view id,
                                       const ApiView& view);
Result<std::string> account_json_by_acct(storage::Database& db, std::string_view acct,
                                         const ApiView& view);
Result<std::string> account_json(storage::Database& db, std::int64_t id, const ApiView& view,
                                 bool with_source);

// A positive decimal row id, or nullopt.
std::optional<std::int64_t> parse_id(std::string_view text);

}  // namespace civicpub::server::views
