#include "server/handlers/html_views.hpp"

namespace civicpub::server::handlers {

html::PostView html_post_view(const storage::PostRecord& post, const storage::ActorRecord& author) {
  html::PostView view;
  view.id = post.ap_id;
  view.url = post.url.empty() ? post.ap_id : post.url;
  view.author = html::author_view(author);
  view.content_html = post.content_html;
  if (!post.summary.empty()) view.content_warning = post.summary;
  view.published = post.published;
  view.updated = post.updated;
  view.language = post.language;
  view.deleted = post.deleted_at.has_value();
  return view;
}

}  // namespace civicpub::server::handlers
