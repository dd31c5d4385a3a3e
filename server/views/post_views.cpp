#include "server/views/post_views.hpp"

#include "server/views/post_urls.hpp"
#include "server/views/collections.hpp"
#include "server/views/error.hpp"
#include "storage/actors.hpp"
#include "storage/posts.hpp"
#include "storage/reactions.hpp"

namespace civicpub::server::views {
namespace {

using storage::Connection;

Result<PostWithAuthor> public_post(Connection& conn, std::string_view username,
                                   std::string_view post_id) {
  if (!is_post_id(post_id)) return ViewError::not_found;
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
  PostWithAuthor out{std::move(**post), std::move(**author), {}};
  if (!out.post.deleted_at && out.author.deleted_at) out.post.deleted_at = out.author.deleted_at;
  return out;
}

Result<std::uint64_t> count(Connection& conn, const storage::PostRecord& post,
                            PostCollection which) {
  Result<std::int64_t> total = std::int64_t{0};
  switch (which) {
    case PostCollection::replies:
      total = storage::posts::count_replies(conn, post.ap_id, true);
      break;
    case PostCollection::context:
      total = storage::posts::count_by_context(conn, post.context, true);
      break;
    case PostCollection::likes:
      total = storage::reactions::count(conn, post.id, storage::ReactionKind::like);
      break;
    case PostCollection::shares:
      total = storage::reactions::count(conn, post.id, storage::ReactionKind::announce);
      break;
  }
  if (!total) return total.error();
  return static_cast<std::uint64_t>(*total);
}

std::string collection_id(const storage::PostRecord& post, PostCollection which) {
  switch (which) {
    case PostCollection::replies: return replies_url(post.ap_id);
    case PostCollection::context: return post.context;
    case PostCollection::likes: return likes_url(post.ap_id);
    case PostCollection::shares: return shares_url(post.ap_id);
  }
  return replies_url(post.ap_id);
}

Result<void> fill_items(Connection& conn, const storage::PostRecord& post, PostCollection which,
                        std::uint64_t offset, federation::as2::CollectionPageView& page) {
  storage::posts::ListQuery query;
  query.key = which == PostCollection::context ? post.context : post.ap_id;
  query.limit = static_cast<int>(page.page_size);
  query.offset = static_cast<int>(offset);
  query.public_only = true;
  auto posts = which == PostCollection::context ? storage::posts::list_by_context(conn, query)
                                                : storage::posts::list_replies(conn, query);
  if (!posts) return posts.error();
  for (const auto& p : *posts) page.items.push_back(p.ap_id);
  return {};
}

Result<PostCollectionAnswer> answer(Connection& conn, const PostWithAuthor& found,
                                    PostCollection which, std::optional<std::uint64_t> page) {
  const auto& post = found.post;
  // Only a thread root started here owns a context to serve; a reply's /context would be an
  // empty conversation that is not the one its Note names.
  if (which == PostCollection::context && post.context != context_url(post.ap_id)) {
    return ViewError::not_found;
  }
  const bool counted = which == PostCollection::likes || which == PostCollection::shares;
  if (counted && page) return ViewError::not_found;
  auto total = count(conn, post, which);
  if (!total) return total.error();
  PostCollectionAnswer out;
  if (counted) {
    out.counted = CountedCollection{collection_id(post, which), *total};
    return out;
  }
  const std::string attributed_to = which == PostCollection::context ? found.author.uri : "";
  if (!page) {
    out.collection = federation::as2::OrderedCollectionView{collection_id(post, which), *total,
                                                kCollectionPageSize, attributed_to};
    return out;
  }
  federation::as2::CollectionPageView view;
  view.collection_id = collection_id(post, which);
  view.page = *page;
  view.total_items = *total;
  view.page_size = kCollectionPageSize;
  const auto offset = federation::as2::page_offset(*page, kCollectionPageSize);
  if (offset < *total) {
    if (auto filled = fill_items(conn, post, which, offset, view); !filled) return filled.error();
  }
  out.page = std::move(view);
  return out;
}

}  // namespace

Result<PostWithAuthor> find_public_post(storage::Database& db, std::string_view username,
                                        std::string_view post_id) {
  return db.read([&](Connection& conn) -> Result<PostWithAuthor> {
    auto found = public_post(conn, username, post_id);
    if (!found || found->post.deleted_at) return found;
    auto details = note_details(conn, found->post.id);
    if (!details) return details.error();
    found->details = std::move(*details);
    return found;
  });
}

Result<PostCollectionAnswer> post_collection(storage::Database& db, std::string_view username,
                                             std::string_view post_id, PostCollection which,
                                             std::optional<std::uint64_t> page) {
  return db.read([&](Connection& conn) -> Result<PostCollectionAnswer> {
    auto found = public_post(conn, username, post_id);
    if (!found) return found.error();
    if (found->post.deleted_at) return ViewError::gone;
    return answer(conn, *found, which, page);
  });
}

}  // namespace civicpub::server::views
