#include "federation/remote/actor_document.hpp"
#include "federation/http/urls.hpp"
#include "federation/federation_error.hpp"
#include "server/inbound/activity_handlers.hpp"
#include "federation/storage_async.hpp"
#include "storage/actors.hpp"
#include "storage/follows.hpp"
#include "storage/posts.hpp"
#include "storage/tombstones.hpp"

namespace civicpub::server::inbound {
namespace {

// Marks the actor deleted and drops its follows in both directions with our accounts. Done per
// local account because storage has no "all follows of X" statement yet; local accounts are few.
Result<void> delete_actor(storage::Connection& c, const std::string& uri, storage::Millis now) {
  auto actor = storage::actors::find_by_uri(c, uri);
  if (!actor) return actor.error();
  if (!*actor || (*actor)->local) return {};
  if (!(*actor)->deleted_at) {
    if (auto marked = storage::actors::mark_deleted(c, (*actor)->id, now); !marked) return marked;
  }
  auto locals = storage::actors::list_local(c);
  if (!locals) return locals.error();
  for (const auto& local : *locals) {
    if (auto r = storage::follows::remove(c, (*actor)->id, local.id); !r) return r.error();
    if (auto r = storage::follows::remove(c, local.id, (*actor)->id); !r) return r.error();
  }
  return {};
}

// Delete of a post by its author: the row stays (410 and the thread's shape) with deleted_at,
// and the id is tombstoned. An id we never stored is tombstoned too (the caller checked it is
// on the actor's host), so a Create that arrives after its Delete is ignored.
Result<void> delete_post(storage::Connection& c, const std::string& id, const std::string& actor,
                         storage::Millis now) {
  auto post = storage::posts::find_by_ap_id(c, id);
  if (!post) return post.error();
  if (*post) {
    auto author = storage::actors::find_by_id(c, (*post)->author_id);
    if (!author) return author.error();
    if (!*author || (*author)->local || (*author)->uri != actor) {
      return make_error_code(federation::FederationError::not_author);
    }
    if (!(*post)->deleted_at) {
      if (auto marked = storage::posts::mark_deleted(c, (*post)->id, now); !marked) return marked;
    }
  }
  return storage::tombstones::add(c, id, now);
}

// Plain functions, not lambdas in the coroutine (GCC 12 destroys their captures twice).
auto delete_job(std::string uri, storage::Millis now) {
  return [uri = std::move(uri), now](storage::Connection& c) { return delete_actor(c, uri, now); };
}
auto delete_post_job(std::string id, std::string actor, storage::Millis now) {
  return [id = std::move(id), actor = std::move(actor), now](storage::Connection& c) {
    return delete_post(c, id, actor, now);
  };
}

// Whether we hold `id` as a public or unlisted post: one the origin would show to anyone.
Result<bool> stored_public(storage::Connection& c, const std::string& id) {
  auto post = storage::posts::find_by_ap_id(c, id);
  if (!post) return Result<bool>(boost::system::in_place_error, post.error());
  if (!*post) return false;
  const auto v = (*post)->visibility;
  return v == storage::Visibility::public_ || v == storage::Visibility::unlisted;
}

// An unverified Delete (forwarded without the actor's signature or proof) is believed only when
// the object's origin confirms it: a 410 or a Tombstone, always; a 404 only for a post we hold
// as public or unlisted. Mastodon answers 404 to a server that may not see a followers-only or
// direct post (and to any unsigned fetch under authorized fetch it answers 401), so a 404 for
// such a post, or for a post we do not hold, says nothing. Returns whether to apply it.
boost::asio::awaitable<Result<bool>> origin_confirms_delete(ActivityContext& ctx,
                                                            const federation::as2::ActivityEnvelope& del) {
  const std::string object_id = *del.object_id;
  if (object_id == del.actor) {
    auto actor = co_await ctx.resolver.resolve(object_id, true);
    if (actor) co_return false;
    const auto ec = actor.error();
    if (ec == federation::FederationError::actor_gone || ec == federation::FederationError::actor_not_found) co_return true;
    co_return Result<bool>(boost::system::in_place_error, ec);
  }
  auto fetched = co_await ctx.posts.fetch(object_id);
  if (fetched) co_return false;
  const auto ec = fetched.error();
  if (ec == federation::FederationError::object_gone) co_return true;
  if (ec == federation::FederationError::object_not_found) {
    auto visible = ctx.db.read([&](storage::Connection& c) { return stored_public(c, object_id); });
    if (!visible) co_return Result<bool>(boost::system::in_place_error, visible.error());
    if (!*visible) {
      ctx.log.info("Delete {} of {} (unverified): a 404 proves nothing for a post that is not "
                   "public, or that we do not hold",
                   del.id, object_id);
    }
    co_return *visible;
  }
  co_return Result<bool>(boost::system::in_place_error, ec);
}

}  // namespace

HandlerResult on_delete(ActivityContext& ctx, const Activity& activity) {
  const auto& del = activity.envelope;
  if (!del.object_id) {
    ctx.log.debug("Delete {}: no object; ignored", del.id);
    co_return Result<void>{};
  }
  if (activity.unverified()) {
    auto confirmed = co_await origin_confirms_delete(ctx, del);
    if (!confirmed) {
      ctx.log.info("Delete {} of {} (unverified): the origin could not be asked: {}", del.id,
                   *del.object_id, confirmed.error().message());
      co_return confirmed.error();
    }
    if (!*confirmed) {
      ctx.log.info(
          "Delete {} of {} (unverified, forwarded without a valid proof): it still "
          "exists at its origin; dropped",
          del.id, *del.object_id);
      co_return Result<void>{};
    }
    ctx.log.info("Delete {} of {} (unverified): confirmed by its origin", del.id, *del.object_id);
  }
  const auto now = ctx.clock();
  if (*del.object_id == del.actor) co_return co_await federation::write(ctx.db, delete_job(del.actor, now));

  // Only the object's own origin (scheme, host and port) may delete it (INTEROP.md section 4).
  const auto object_origin = federation::http::origin_of(*del.object_id);
  if (!object_origin || object_origin != federation::http::origin_of(del.actor)) {
    ctx.log.info("Delete {}: {} may not delete {} on another host", del.id, del.actor,
                 *del.object_id);
    co_return make_error_code(federation::FederationError::origin_mismatch);
  }
  auto deleted = co_await federation::write(ctx.db, delete_post_job(*del.object_id, del.actor, now));
  if (!deleted) {
    ctx.log.info("Delete {} of {} by {}: {}", del.id, *del.object_id, del.actor,
                 deleted.error().message());
  }
  co_return deleted;
}

}  // namespace civicpub::server::inbound
