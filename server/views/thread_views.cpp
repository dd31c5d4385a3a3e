#include "server/views/thread_views.hpp"

#include "server/views/error.hpp"
#include "storage/actors.hpp"
#include "storage/post_lookup.hpp"
#include "storage/posts.hpp"
#include "storage/reactions.hpp"

#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace civicpub::server::views {
namespace {

using storage::Connection;
using storage::PostRecord;

bool visible_to(const PostRecord& post, const ThreadOptions& options) {
  return !options.public_only || post.visibility == storage::Visibility::public_ ||
         post.visibility == storage::Visibility::unlisted;
}

// The posts with their authors and counts, as the reader may see them, in the same order. One
// query each for the authors, the reply counts and the reaction counts of the whole set (issue
// 15: one of each per post made a thread page of 50 replies run 200 queries).
Result<std::vector<ThreadPost>> decorate(Connection& conn, std::vector<PostRecord> posts,
                                         const ThreadOptions& options) {
  std::vector<std::int64_t> author_ids;
  author_ids.reserve(posts.size());
  for (const auto& post : posts) author_ids.push_back(post.author_id);
  auto authors = storage::actors::find_by_ids(conn, author_ids);
  if (!authors) return authors.error();

  std::vector<ThreadPost> out(posts.size());
  std::vector<std::string> counted_uris;
  std::vector<std::int64_t> counted_ids;
  for (std::size_t i = 0; i < posts.size(); ++i) {
    ThreadPost& entry = out[i];
    PostRecord& post = posts[i];
    if (const auto author = authors->find(post.author_id); author != authors->end()) {
      entry.author = author->second;  // copied: several posts may share an author
    }
    // A deleted account's posts are gone with it, as GET on them answers (post_views.hpp).
    if (!post.deleted_at && entry.author.deleted_at) post.deleted_at = entry.author.deleted_at;
    entry.withheld = !visible_to(post, options);
    if (entry.withheld) {
      post.content_html.clear();
      post.summary.clear();
      post.name.clear();
      post.raw_json.clear();
      entry.author = {};
    }
    if (!entry.withheld && !post.deleted_at) {
      counted_uris.push_back(post.ap_id);
      counted_ids.push_back(post.id);
    }
    entry.post = std::move(post);
  }

  // Counts only for the posts shown: a withheld or deleted one keeps zeros.
  auto replies = storage::posts::count_replies_each(conn, counted_uris, options.public_only);
  if (!replies) return replies.error();
  auto reactions = storage::reactions::count_each(conn, counted_ids);
  if (!reactions) return reactions.error();
  for (auto& entry : out) {
    if (entry.withheld || entry.post.deleted_at) continue;
    if (const auto n = replies->find(entry.post.ap_id); n != replies->end()) {
      entry.replies = n->second;
    }
    if (const auto n = reactions->find(entry.post.id); n != reactions->end()) {
      entry.likes = n->second.likes;
      entry.shares = n->second.shares;
    }
  }
  return out;
}

bool shown(const ThreadPost& entry) {
  return !entry.withheld && !entry.deleted();
}

// The stored replies below the top, grouped by parent, each group oldest first.
struct ReplyIndex {
  std::vector<ThreadPost> posts;
  std::unordered_map<std::string, std::vector<std::size_t>> children;
  std::vector<bool> used;
  std::string focus_id;
  int max_depth = 0;
};

// Appends the replies to `parent` depth-first. A deleted or withheld reply stays only when
// something shown hangs below it (or it is the focus). Returns whether anything was appended.
// Each post is used once, which also ends a reply cycle; the depth is capped as well.
bool append_replies(ReplyIndex& index, const std::string& parent, int depth,
                    std::vector<ThreadPost>& out) {
  if (depth > index.max_depth) return false;
  const auto found = index.children.find(parent);
  if (found == index.children.end()) return false;
  bool any = false;
  for (const std::size_t i : found->second) {
    if (index.used[i]) continue;
    index.used[i] = true;
    const std::size_t at = out.size();
    out.push_back(std::move(index.posts[i]));
    out[at].depth = depth;
    const std::string id = out[at].post.ap_id;
    const bool below = append_replies(index, id, depth + 1, out);
    if (!below && !shown(out[at]) && id != index.focus_id) {
      out.pop_back();
      continue;
    }
    any = true;
  }
  return any;
}

Result<std::vector<ThreadPost>> build_tree(Connection& conn, PostRecord top,
                                           const std::string& focus_id,
                                           const ThreadOptions& options) {
  auto below = storage::posts::descendants(conn, top.ap_id, options.max_depth, options.max_posts);
  if (!below) return below.error();
  // The top first, then every reply once (a cycle lists a post twice), decorated together.
  std::vector<PostRecord> posts;
  posts.reserve(below->size() + 1);
  posts.push_back(std::move(top));
  std::unordered_set<std::string> seen;
  for (auto& post : *below) {
    if (!seen.insert(post.ap_id).second) continue;
    posts.push_back(std::move(post));
  }
  auto decorated = decorate(conn, std::move(posts), options);
  if (!decorated) return decorated.error();
  ReplyIndex index;
  index.focus_id = focus_id;
  index.max_depth = options.max_depth;
  for (std::size_t i = 1; i < decorated->size(); ++i) {
    auto& entry = (*decorated)[i];
    index.children[entry.post.in_reply_to].push_back(index.posts.size());
    index.posts.push_back(std::move(entry));
  }
  index.used.assign(index.posts.size(), false);
  std::vector<ThreadPost> tree;
  tree.push_back(std::move(decorated->front()));
  append_replies(index, tree.front().post.ap_id, 1, tree);
  return tree;
}

std::optional<std::size_t> index_of(const std::vector<ThreadPost>& tree, std::string_view id) {
  for (std::size_t i = 0; i < tree.size(); ++i) {
    if (tree[i].post.ap_id == id) return i;
  }
  return std::nullopt;
}

Result<Thread> thread_of(Connection& conn, const PostRecord& focus, const ThreadOptions& options) {
  auto above = storage::posts::ancestors(conn, focus.ap_id, options.max_depth);
  if (!above) return above.error();
  Thread out;
  out.missing_parent = above->missing_parent;
  out.truncated = above->truncated;
  if (options.from_top && !above->chain.empty()) {
    auto tree = build_tree(conn, above->chain.front(), focus.ap_id, options);
    if (!tree) return tree.error();
    // The focus may lie past the reply cap of a very large thread: then show the path to it
    // (ancestors above its own subtree) instead.
    if (const auto at = index_of(*tree, focus.ap_id)) {
      out.tree = std::move(*tree);
      out.focus = *at;
      return out;
    }
  }
  auto ancestors = decorate(conn, std::move(above->chain), options);
  if (!ancestors) return ancestors.error();
  out.ancestors = std::move(*ancestors);
  auto tree = build_tree(conn, focus, focus.ap_id, options);
  if (!tree) return tree.error();
  out.tree = std::move(*tree);
  out.focus = 0;
  return out;
}

}  // namespace

Result<Thread> thread_by_reference(storage::Database& db, std::string_view reference,
                                   const ThreadOptions& options) {
  return db.read([&](Connection& conn) -> Result<Thread> {
    auto focus = storage::posts::find_by_ap_id(conn, reference);
    if (!focus) return focus.error();
    if (!*focus) {
      focus = storage::posts::find_by_url(conn, reference);
      if (!focus) return focus.error();
    }
    if (!*focus) return ViewError::not_found;
    return thread_of(conn, **focus, options);
  });
}

Result<Thread> thread_by_row_id(storage::Database& db, std::int64_t row_id,
                                const ThreadOptions& options) {
  return db.read([&](Connection& conn) -> Result<Thread> {
    auto focus = storage::posts::find_by_id(conn, row_id);
    if (!focus) return focus.error();
    if (!*focus) return ViewError::not_found;
    return thread_of(conn, **focus, options);
  });
}

}  // namespace civicpub::server::views
