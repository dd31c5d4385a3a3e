// Read-side query behind the thread views (the HTML thread pages and `civicpub thread`): the
// posts around one post as this instance has them stored, local and remote alike.
#pragma once

#include "storage/database.hpp"
#include "storage/records.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace civicpub::server::views {

// One post of a thread with what a reader sees next to it.
struct ThreadPost {
  storage::PostRecord post;
  storage::ActorRecord author;  // empty for a withheld post
  int depth = 0;                // in `Thread::tree`: 0 for its top, +1 per reply level
  std::int64_t replies = 0;     // direct replies the reader may see (stored, not deleted)
  std::int64_t likes = 0;
  std::int64_t shares = 0;
  // Not visible to this reader (followers-only or direct, for an anonymous one) but kept as a
  // placeholder because visible replies hang below it. Its content, title, content warning and
  // author are cleared here, so no renderer can leak them.
  bool withheld = false;
  // Deleted (or its author is): kept as a placeholder, nothing of it is shown.
  bool deleted() const { return post.deleted_at.has_value(); }
};

struct ThreadOptions {
  // An anonymous reader: only public and unlisted posts; others become withheld placeholders
  // when they have visible replies and are dropped when they do not.
  bool public_only = true;
  // The tree starts at the thread's top (the highest stored ancestor), so the page shows the
  // whole conversation; otherwise at the post itself, with its ancestors listed above it.
  bool from_top = false;
  int max_depth = 50;   // ancestors followed upwards and reply levels downwards (STYLE.md rule 6)
  int max_posts = 500;  // replies read at most
};

struct Thread {
  // Above the tree's top, the highest first, the top's parent last. Empty when `from_top`.
  std::vector<ThreadPost> ancestors;
  // Depth-first: tree[0] is the top; every post is followed by its replies (oldest first), each
  // with depth one more than its parent's. Deleted and withheld posts appear only when a shown
  // post hangs below them (the top and the focus always appear).
  std::vector<ThreadPost> tree;
  std::size_t focus = 0;                      // index in `tree` of the post asked for
  std::optional<std::string> missing_parent;  // the chain goes on above a post not stored here
  bool truncated = false;                     // the ancestor walk stopped at max_depth
};

// The thread around the post whose id or HTML page URL is `reference` (the id is tried first).
// ViewError::not_found when neither is stored. The focus post is in the tree whatever its state:
// callers check `tree[focus].withheld` (answer 404) and `.deleted()` (410) for strangers.
Result<Thread> thread_by_reference(storage::Database& db, std::string_view reference,
                                   const ThreadOptions& options);

// The same for the post stored in row `row_id` (local pages of remote posts).
Result<Thread> thread_by_row_id(storage::Database& db, std::int64_t row_id,
                                const ThreadOptions& options);

}  // namespace civicpub::server::views
