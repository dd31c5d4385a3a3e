// Stored records as the HTML pages show them.
#pragma once

#include "server/html/post_view.hpp"
#include "storage/records.hpp"

namespace civicpub::server::handlers {

// `author` must be the post's author. A deleted post becomes the placeholder the pages show.
html::PostView html_post_view(const storage::PostRecord& post, const storage::ActorRecord& author);

}  // namespace civicpub::server::handlers
