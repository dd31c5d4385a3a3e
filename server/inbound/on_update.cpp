#include "federation/remote/actor_document.hpp"
#include "federation/http/urls.hpp"
#include "federation/convert/post_reader.hpp"
#include "federation/as2/reader.hpp"
#include "federation/federation_error.hpp"
#include "server/inbound/activity_handlers.hpp"
#include "server/inbound/post_intake.hpp"
#include "storage/actors.hpp"
#include "storage/posts.hpp"

namespace civicpub::server::inbound {
namespace {

// Update of the sender's own actor: refetch it from its id rather than trusting the embedded
// copy, so the stored document always passed the resolver's checks (INTEROP.md section 4: an
// embedded object is trusted only after refetching it from its own id).
HandlerResult update_actor(ActivityContext& ctx, const Activity& activity) {
  const auto& update = activity.envelope;
  if (update.object) {
    auto type = federation::as2::first_type(*update.object);
    if (!type || !federation::is_actor_type(*type)) co_return Result<void>{};
  }
  auto refreshed = co_await ctx.resolver.resolve(update.actor, true);
  if (!refreshed) co_return refreshed.error();
  co_return Result<void>{};
}

struct StoredPost {
  storage::PostRecord post;
  std::string author_uri;
};

Result<std::optional<StoredPost>> find_post(storage::Connection& c, const std::string& id) {
  auto post = storage::posts::find_by_ap_id(c, id);
  if (!post) return post.error();
  if (!*post) return std::optional<StoredPost>{};
  auto author = storage::actors::find_by_id(c, (*post)->author_id);
  if (!author) return author.error();
  StoredPost out{std::move(**post), *author ? (*author)->uri : std::string()};
  if (*author && (*author)->local) out.author_uri.clear();  // never changed from outside
  return std::optional<StoredPost>(std::move(out));
}

// Update of a post: only its author, from the author's own host, may change it. An Update of a
// post we do not have is taken like a Create when it concerns us (an edit may add a mention of
// one of our accounts; Mastodon would miss that post), else dropped.
HandlerResult update_post(ActivityContext& ctx, const Activity& activity) {
  const auto& update = activity.envelope;
  const std::string object_id = *update.object_id;
  auto stored = ctx.db.read([&](storage::Connection& c) { return find_post(c, object_id); });
  if (!stored) co_return stored.error();
  if (!*stored) co_return co_await take_post(ctx, activity);

  const auto& known = **stored;
  const auto object_origin = federation::http::origin_of(object_id);
  if (known.author_uri != update.actor || !object_origin ||
      object_origin != federation::http::origin_of(update.actor)) {
    ctx.log.info("Update {}: {} may not change {} (author {})", update.id, update.actor, object_id,
                 known.author_uri.empty() ? "local" : known.author_uri);
    co_return make_error_code(federation::FederationError::not_author);
  }
  if (known.post.deleted_at) {
    ctx.log.info("Update {}: {} was deleted; ignored", update.id, object_id);
    co_return Result<void>{};
  }
  auto checked = co_await checked_post(ctx, activity);
  if (!checked) co_return checked.error();
  if (checked->post.id != object_id || checked->post.attributed_to != update.actor) {
    co_return make_error_code(federation::FederationError::not_author);
  }
  // Updates may arrive out of order: an older edit never replaces a newer one.
  if (known.post.updated && checked->post.updated && *checked->post.updated < *known.post.updated) {
    ctx.log.info("Update {}: an older edit of {}; ignored", update.id, object_id);
    co_return Result<void>{};
  }
  auto updated = co_await ctx.posts.update(known.post, std::move(*checked));
  if (!updated) co_return updated.error();
  co_return Result<void>{};
}

}  // namespace

HandlerResult on_update(ActivityContext& ctx, const Activity& activity) {
  const auto& update = activity.envelope;
  if (!update.object_id) {
    ctx.log.debug("Update {}: no object; ignored", update.id);
    co_return Result<void>{};
  }
  if (*update.object_id == update.actor) co_return co_await update_actor(ctx, activity);
  if (update.object) {
    const auto type = federation::as2::first_type(*update.object);
    if (!type || !federation::convert::is_post_type(*type)) {
      ctx.log.debug("Update {} of {} ({}): not handled", update.id, *update.object_id,
                    type.value_or("?"));
      co_return Result<void>{};
    }
  }
  co_return co_await update_post(ctx, activity);
}

}  // namespace civicpub::server::inbound
