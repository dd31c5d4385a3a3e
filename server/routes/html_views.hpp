// Stored records as the HTML pages show them.
#pragma once

#include "federation/as2/instance_info.hpp"
#include "server/views/thread_views.hpp"
#include "server/html/post_view.hpp"
#include "storage/records.hpp"

#include <string>

namespace civicpub::server::routes {

// `author` must be the post's author. A deleted post becomes the placeholder the pages show.
html::PostView html_post_view(const storage::PostRecord& post, const storage::ActorRecord& author);

// Where this server shows a remote post: /remote/{row id} (routes in thread_routes.hpp).
std::string remote_post_page_url(const federation::as2::InstanceInfo& instance,
                                 std::int64_t row_id);

// A thread post with its counts; a remote post links to its local page, with its own page on its
// server as the original.
html::PostView html_thread_post_view(const server::views::ThreadPost& entry,
                                     const federation::as2::InstanceInfo& instance);

// The nested tree the thread page renders: thread.tree as nodes, and when the thread has
// ancestors listed apart (views::ThreadOptions::from_top could not reach the post) the nearest
// of them nested above it, one reply each. A post too deep for the page (html::kMaxThreadDepth)
// is shown within the subtree of an ancestor half that depth above it.
html::ThreadNode html_thread_tree(const server::views::Thread& thread,
                                  const federation::as2::InstanceInfo& instance);

}  // namespace civicpub::server::routes
