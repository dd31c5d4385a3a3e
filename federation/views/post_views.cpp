#include "federation/views/post_views.hpp"

#include "federation/post_urls.hpp"
#include "federation/views/error.hpp"
#include "storage/actors.hpp"
#include "storage/posts.hpp"

namespace civicpub::federation::views {

Result<PostWithAuthor> find_public_post(storage::Database& db, std::string_view username,
                                        std::string_view post_id) {
  if (!is_post_id(post_id)) return ViewError::not_found;
  return db.read([&](storage::Connection& conn) -> Result<PostWithAuthor> {
    auto author = storage::actors::find_local_by_username(conn, username);
    if (!author) return author.error();
    if (!*author) return ViewError::not_found;
    auto post = storage::posts::find_by_ap_id(conn, post_url((*author)->uri, post_id));
    if (!post) return post.error();
    if (!*post || !(*post)->local || (*post)->author_id != (*author)->id) {
      return ViewError::not_found;
    }
    const auto visibility = (*post)->visibility;
    if (visibility != storage::Visibility::public_ && visibility != storage::Visibility::unlisted) {
      return ViewError::not_found;
    }
    PostWithAuthor out{std::move(**post), std::move(**author)};
    if (!out.post.deleted_at && out.author.deleted_at) out.post.deleted_at = out.author.deleted_at;
    return out;
  });
}

}  // namespace civicpub::federation::views
