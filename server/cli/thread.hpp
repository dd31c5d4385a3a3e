// `civicpub thread URL [--json]`: the thread around a post as this instance knows it, for the
// admin. Every post is listed whatever its visibility (the visibility is printed with it);
// deleted posts stay as "[deleted]" so the thread keeps its shape. URL is a post's id or its
// HTML page URL. A post that is not stored is fetched from its server (and its ancestors) when a
// PostFetcher is given; otherwise, or when the fetch fails, exit 1 with one line on `err`.
#pragma once

#include "server/views/thread_views.hpp"
#include "server/config/config.hpp"

#include <functional>
#include <optional>
#include <ostream>
#include <set>
#include <string>

namespace civicpub::server {


// The text listing: one line a post, "> " marking the post asked for, two spaces of indentation
// a reply level (ancestors from the root down, then the post, then its replies):
//   <handle>  <ISO 8601 published>  <visibility>[  edited]  <plain text>  <id>
// A deleted post is "[deleted]  <id>", one of `hidden` (hidden by moderation: a group's
// moderator removed it, storage::moderation::post_hidden) "[removed by moderation]  <id>". A
// first line names a parent that is not stored.
std::string thread_text(const server::views::Thread& thread,
                        const std::set<std::string>& hidden = {});

// A JSON array in thread order (ancestors, the post, its replies depth-first, oldest first
// among siblings) of {id, author (actor id), in_reply_to (null for a top post), published
// (ISO 8601), content (the stored sanitized HTML; "" when deleted), visibility, deleted,
// removed (one of `hidden`)}.
std::string thread_json(const server::views::Thread& thread,
                        const std::set<std::string>& hidden = {});

// The deleted posts of `thread` that moderation hid (for thread_text and thread_json).
std::set<std::string> hidden_posts(storage::Database& db, const server::views::Thread& thread);

// Gets a post that is not stored yet (and what is missing above it) and returns it as stored.
using FetchPost = std::function<Result<storage::PostRecord>(const std::string& uri)>;

// Loads the thread around `reference` for the admin (every visibility); when it is not stored
// and `fetch` is set, fetches it first. On failure returns nullopt after writing the one-line
// reason to `err`.
std::optional<server::views::Thread> load_admin_thread(storage::Database& db,
                                                           const FetchPost& fetch,
                                                           const std::string& reference,
                                                           std::ostream& err);

}  // namespace civicpub::server
