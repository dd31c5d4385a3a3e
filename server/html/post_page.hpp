// A post with its whole thread: the root, then the replies as a nested tree, the post the reader
// asked for highlighted. Replies from every server come together here.
#pragma once

#include "federation/as2/instance_info.hpp"
#include "server/html/post_view.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace civicpub::server::html {

// Reply lists deeper than this are no longer indented: six steps of indentation still leave a
// phone about two thirds of its width for the text.
inline constexpr std::size_t kMaxIndentDepth = 6;

// Replies deeper than this are not rendered; a "Continue this thread" link to the first hidden
// reply's page stands in for them (STYLE.md rule 6: every recursion has a depth limit). A
// handler showing a post deeper than this should pass the subtree from a nearer ancestor.
inline constexpr std::size_t kMaxThreadDepth = 40;

// The whole document for the post whose id is `current_id` within the thread under `root`. The
// canonical URL and the ActivityPub alternate are the current post's `url` and `id` (the root's
// when `current_id` is not in the tree). For a remote post (original_url set) the canonical URL
// is the original, the page is noindex and says where the post comes from.
std::string post_page(const federation::as2::InstanceInfo& instance, const ThreadNode& root,
                      std::string_view current_id);

// Appends the nested reply lists under a thread's root, as post_page shows them (also used by
// the consultation page).
void append_thread_replies(std::string& out, const std::vector<ThreadNode>& replies,
                           std::string_view current_id);

}  // namespace civicpub::server::html
