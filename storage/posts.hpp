// Local and remote posts.
#pragma once

#include "storage/connection.hpp"
#include "storage/records.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace civicpub::storage::posts {

// Returns the new id; an ap_id already stored -> Errc::conflict; unknown author ->
// Errc::constraint.
Result<std::int64_t> insert(Connection& conn, const PostRecord& post);

// Both include deleted posts (deleted_at set) so callers can answer 410 Gone.
Result<std::optional<PostRecord>> find_by_ap_id(Connection& conn, std::string_view ap_id);
Result<std::optional<PostRecord>> find_by_id(Connection& conn, std::int64_t id);

// Replaces content_html, summary, sensitive, language and raw_json of post `post.id` and sets
// `updated` to `updated_at`. Errc::not_found when there is no such post or it is deleted.
Result<void> update_content(Connection& conn, const PostRecord& post, Millis updated_at);

// Sets deleted_at (the row stays, for 410 and thread shape). Errc::not_found when missing.
Result<void> mark_deleted(Connection& conn, std::int64_t id, Millis at);

// Keyset position in an author's list: the last post of the previous page.
struct PostCursor {
  Millis published = 0;
  std::int64_t id = 0;
};

struct AuthorPageQuery {
  std::int64_t author_id = 0;
  int limit = 20;
  std::optional<PostCursor> before;  // posts strictly older than this one
  bool public_only = false;          // only public and unlisted (an outbox for strangers)
  int offset = 0;                    // rows to skip (numbered collection pages, ?page=N)
};

// Newest first (published, then id), excluding deleted posts.
Result<std::vector<PostRecord>> list_by_author(Connection& conn, const AuthorPageQuery& query);

// How many posts list_by_author would page through (totalItems of an outbox): not deleted, and
// only public and unlisted ones when `public_only`.
Result<std::int64_t> count_by_author(Connection& conn, std::int64_t author_id, bool public_only);

// A page of posts sharing `key` (a parent's URI, a context URI), oldest first, without deleted
// ones; only public and unlisted when `public_only`.
struct ListQuery {
  std::string key;
  int limit = 20;
  int offset = 0;
  bool public_only = true;
};

// Direct replies to the post `key`, stored here (local and remote).
Result<std::vector<PostRecord>> list_replies(Connection& conn, const ListQuery& query);
Result<std::int64_t> count_replies(Connection& conn, std::string_view parent_uri, bool public_only);
// count_replies for a set of parents in one query (a page's posts): parent URI -> count, the
// parents without such replies absent. Repeated URIs are fine; none -> no query.
Result<std::unordered_map<std::string, std::int64_t>> count_replies_each(
    Connection& conn, std::span<const std::string> parent_uris, bool public_only);

// Every post stored with context `key` (FEP-7888 conversation).
Result<std::vector<PostRecord>> list_by_context(Connection& conn, const ListQuery& query);
Result<std::int64_t> count_by_context(Connection& conn, std::string_view context, bool public_only);

// The stored posts above `ap_id`, following in_reply_to: the highest first, the direct parent
// last (deleted posts included: they keep the thread's shape). `missing_parent` is the first
// URI up the chain that is not stored (a fetch would continue there); `truncated` says the walk
// stopped at `max_depth` (also the end of a reply cycle).
struct Ancestors {
  std::vector<PostRecord> chain;
  std::optional<std::string> missing_parent;
  bool truncated = false;
};
Result<Ancestors> ancestors(Connection& conn, std::string_view ap_id, int max_depth);

// Every stored post below `ap_id` (replies, replies to them, ...) down to `max_depth` levels,
// at most `limit`, oldest first; deleted ones included. The caller builds the tree from
// in_reply_to.
Result<std::vector<PostRecord>> descendants(Connection& conn, std::string_view ap_id, int max_depth,
                                            int limit);

// A parent arrived after its replies: posts stored with thread_root `old_root` (the parent's
// URI, the best that was known) get `new_root`, and, when they have no context of their own
// (a Mastodon or Fedify reply carries none), the parent's `context`, so that they join its
// conversation as if they had come after it. Returns how many changed.
// Remote threads with a post published at or after `since`, most recently active first: for each,
// the id of its newest stored post (what a backfill starts from). Threads whose top post is
// local are left out (ours are complete).
Result<std::vector<std::string>> active_remote_threads(Connection& conn, Millis since, int limit);

Result<std::int64_t> relink_thread_root(Connection& conn, std::string_view old_root,
                                        std::string_view new_root, std::string_view context = {});

// Local posts that are not deleted (NodeInfo).
Result<std::int64_t> count_local(Connection& conn);

}  // namespace civicpub::storage::posts
