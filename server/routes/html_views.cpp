#include "server/routes/html_views.hpp"

#include "federation/as2/reader.hpp"
#include "federation/as2/vote.hpp"
#include "server/html/post_page.hpp"

namespace civicpub::server::routes {
namespace {


// thread.tree is depth-first: the entries after `i` with a greater depth are its subtree.
html::ThreadNode subtree(const views::Thread& thread, std::size_t& i,
                         const federation::as2::InstanceInfo& instance) {
  const auto& entry = thread.tree[i++];
  html::ThreadNode node{html_thread_post_view(entry, instance), {}};
  while (i < thread.tree.size() && thread.tree[i].depth == entry.depth + 1) {
    node.replies.push_back(subtree(thread, i, instance));
  }
  return node;
}

}  // namespace

html::PostView html_post_view(const storage::PostRecord& post, const storage::ActorRecord& author) {
  html::PostView view;
  view.id = post.ap_id;
  view.url = post.url.empty() ? post.ap_id : post.url;
  view.author = html::author_view(author);
  view.title = post.name;
  view.content_html = post.content_html;
  if (!post.summary.empty()) view.content_warning = post.summary;
  view.published = post.published;
  view.updated = post.updated;
  view.language = post.language;
  view.deleted = post.deleted_at.has_value();
  if (!post.local && post.object_type == "Question" && !view.deleted) {
    // Closed as far as the Question says (`closed`); endTime is not compared with a clock here.
    if (auto doc = federation::as2::parse_json(post.raw_json)) {
      if (auto poll = federation::as2::read_remote_poll(*doc, 0)) {
        for (std::size_t i = 0; i < poll->options.size(); ++i) {
          view.poll.push_back({poll->options[i], poll->counts[i]});
        }
        view.poll_closed = poll->closed;
      }
    }
  }
  return view;
}

std::string remote_post_page_url(const federation::as2::InstanceInfo& instance,
                                 std::int64_t row_id) {
  return instance.base_url + "/remote/" + std::to_string(row_id);
}

html::PostView html_thread_post_view(const views::ThreadPost& entry,
                                     const federation::as2::InstanceInfo& instance) {
  html::PostView view = html_post_view(entry.post, entry.author);
  if (!entry.post.local) {
    view.original_url = view.url;
    view.url = remote_post_page_url(instance, entry.post.id);
  }
  view.reply_count = entry.replies;
  view.like_count = entry.likes;
  view.share_count = entry.shares;
  view.withheld = entry.withheld;
  return view;
}

html::ThreadNode html_thread_tree(const views::Thread& thread,
                                  const federation::as2::InstanceInfo& instance) {
  if (thread.tree.empty()) return {};
  // The page renders kMaxThreadDepth levels (post_page.hpp); a post deeper than that is shown in
  // the subtree of an ancestor halfway up, so it lands mid-page with context above it.
  constexpr int kLevelsAbove = static_cast<int>(html::kMaxThreadDepth / 2);
  std::size_t start = 0;
  const int focus_depth = thread.tree[thread.focus].depth;
  if (focus_depth >= static_cast<int>(html::kMaxThreadDepth)) {
    for (std::size_t j = thread.focus; j-- > 0;) {
      if (thread.tree[j].depth == focus_depth - kLevelsAbove) {
        start = j;
        break;
      }
    }
  }
  std::size_t i = start;
  html::ThreadNode node = subtree(thread, i, instance);
  if (start != 0) return node;
  int above = 0;
  for (auto it = thread.ancestors.rbegin(); it != thread.ancestors.rend() && above < kLevelsAbove;
       ++it, ++above) {
    html::ThreadNode parent{html_thread_post_view(*it, instance), {}};
    parent.replies.push_back(std::move(node));
    node = std::move(parent);
  }
  return node;
}

}  // namespace civicpub::server::routes
