// take_group_announce and take_group_removal (post_intake.hpp): posts a followed group passes
// on (FEP-1b12), and the removals it announces.
#include "server/inbound/post_intake.hpp"

#include "federation/as2/envelope.hpp"
#include "federation/as2/reader.hpp"
#include "federation/storage_async.hpp"
#include "server/inbound/remote_group_moderators.hpp"
#include "storage/actors.hpp"
#include "storage/follows.hpp"
#include "storage/group_moderation.hpp"
#include "storage/post_details.hpp"
#include "storage/posts.hpp"

namespace civicpub::server::inbound {
namespace {

// Whether a local account follows `uri` (an accepted follow). Per local account, as in
// post_relevance.cpp: local accounts are few.
Result<bool> followed_here(storage::Connection& c, const std::string& uri) {
  auto actor = storage::actors::find_by_uri(c, uri);
  if (!actor) return {boost::system::in_place_error, actor.error()};
  if (!*actor) return false;
  auto locals = storage::actors::list_local(c);
  if (!locals) return {boost::system::in_place_error, locals.error()};
  for (const auto& local : *locals) {
    auto follow = storage::follows::find_by_pair(c, local.id, (*actor)->id);
    if (!follow) return {boost::system::in_place_error, follow.error()};
    if (*follow && (*follow)->state == storage::FollowState::accepted) return true;
  }
  return false;
}

}  // namespace

HandlerResult take_group_announce(ActivityContext& ctx, const Activity& announce) {
  const auto& env = announce.envelope;
  if (announce.unverified() || !env.object) {
    ctx.log.debug("Announce {}: not the group's own, or no embedded activity; ignored", env.id);
    co_return Result<void>{};
  }
  auto inner = federation::as2::read_envelope(*env.object);
  if (!inner) {
    ctx.log.info("Announce {}: the embedded activity is unreadable ({}); ignored", env.id,
                 inner.error().message());
    co_return Result<void>{};
  }
  const std::string group = env.actor;
  auto followed = ctx.db.read([&](storage::Connection& c) { return followed_here(c, group); });
  if (!followed) co_return followed.error();
  if (!*followed) {
    ctx.log.debug("Announce {} of {}: {} is followed by no one here; ignored", env.id, inner->id,
                  group);
    co_return Result<void>{};
  }
  const Activity passed_on{*env.object, *inner, storage::InboxAuth::unverified};
  co_return co_await take_post(ctx, passed_on, true);
}

}  // namespace civicpub::server::inbound

namespace civicpub::server::inbound {
namespace {

// Whether the post's stored document names `group` in audience, to or cc.
bool names_group(const storage::PostRecord& post, const std::string& group) {
  auto doc = federation::as2::parse_json(post.raw_json);
  if (!doc || !doc->IsObject()) return false;
  for (const char* name : {"audience", "to", "cc"}) {
    for (const auto& id : federation::as2::member_ids(*doc, name)) {
      if (id == group) return true;
    }
  }
  return false;
}

// Whether the stored post names `group`: another server's post in audience, to or cc of the
// document as received; one of ours by mentioning it (how a post here reaches another server's
// group: `@group@host` in the text).
Result<bool> post_names_group(storage::Connection& c, const storage::PostRecord& post,
                              const std::string& group) {
  if (!post.local) return names_group(post, group);
  auto mentioned = storage::post_details::mentions(c, post.id);
  if (!mentioned) return {boost::system::in_place_error, mentioned.error()};
  for (const auto& mention : *mentioned) {
    if (mention.actor_uri == group) return true;
  }
  return false;
}

// The post `uri` when it is `group`'s (it, or its thread's top post, names the group). Ours
// count too: a removed thread one of our accounts started in the group takes the other
// servers' replies in it along (drop_job keeps our own posts).
Result<std::optional<storage::PostRecord>> group_post(storage::Connection& c,
                                                      const std::string& uri,
                                                      const std::string& group) {
  using Found = std::optional<storage::PostRecord>;
  auto post = storage::posts::find_by_ap_id(c, uri);
  if (!post) return post.error();
  if (!*post) return Found();
  auto named = post_names_group(c, **post, group);
  if (!named) return named.error();
  if (*named) return post;
  if ((*post)->thread_root.empty() || (*post)->thread_root == uri) return Found();
  auto root = storage::posts::find_by_ap_id(c, (*post)->thread_root);
  if (!root) return root.error();
  if (!*root) return Found();
  auto root_named = post_names_group(c, **root, group);
  if (!root_named) return root_named.error();
  if (*root_named) return post;
  return Found();
}

// The group's post a removal names, and its author's id.
struct Removed {
  storage::PostRecord post;
  std::string author;
};

Result<std::optional<Removed>> removed_post(storage::Connection& c, const std::string& uri,
                                            const std::string& group) {
  auto followed = followed_here(c, group);
  if (!followed) return followed.error();
  if (!*followed) return std::optional<Removed>();
  auto post = group_post(c, uri, group);
  if (!post) return post.error();
  if (!*post) return std::optional<Removed>();
  auto author = storage::actors::find_by_id(c, (*post)->author_id);
  if (!author) return author.error();
  Removed out{std::move(**post), *author ? (*author)->uri : std::string()};
  return std::optional<Removed>(std::move(out));
}

// Other servers' posts are dropped. Ours, when a moderator removed them, are hidden like
// moderated posts and stay stored for their authors: Lemmy marks a moderator's removal
// `removed` on every instance, the author's included (receive_remove_action). An author's own
// Delete announced back to us leaves ours alone (the author deleted it here already).
auto drop_job(std::string uri, bool by_moderator, storage::Millis now) {
  return [uri = std::move(uri), by_moderator, now](storage::Connection& c) -> Result<std::int64_t> {
    auto dropped = storage::groups::drop_remote_post_or_thread(c, uri, now);
    if (!dropped || !by_moderator) return dropped;
    auto hidden = storage::groups::hide_local_post_or_thread(c, uri, now);
    if (!hidden) return hidden;
    return *dropped + *hidden;
  };
}

}  // namespace

HandlerResult take_group_removal(ActivityContext& ctx, const Activity& announce) {
  const auto& env = announce.envelope;
  if (announce.unverified() || !env.object) {
    ctx.log.debug("Announce {}: not the group's own, or no embedded activity; ignored", env.id);
    co_return Result<void>{};
  }
  const auto object = federation::as2::member_id(*env.object, "object");
  const auto remover = federation::as2::member_id(*env.object, "actor");
  if (!object || !remover) co_return Result<void>{};
  const std::string group = env.actor;
  const std::string uri = *object;
  auto found = ctx.db.read([&](storage::Connection& c) { return removed_post(c, uri, group); });
  if (!found) co_return found.error();
  if (!*found) {
    ctx.log.debug("Announce {} of a Delete of {}: no post of {} followed here; ignored", env.id,
                  uri, group);
    co_return Result<void>{};
  }
  // The author deletes their own post; anyone else must moderate the group (Lemmy's rule).
  const std::string by = *remover;
  const bool by_moderator = by != (*found)->author;
  if (by_moderator) {
    auto moderator = co_await remote_group_moderator(ctx, group, by);
    if (!moderator) co_return moderator.error();
    if (!*moderator) {
      ctx.log.info("Announce {}: {} is neither the author of {} nor a moderator of {}; ignored",
                   env.id, by, uri, group);
      co_return Result<void>{};
    }
  }
  auto dropped = co_await federation::write(ctx.db, drop_job(uri, by_moderator, ctx.clock()));
  if (!dropped) co_return dropped.error();
  ctx.log.info("Announce {}: {} removed {} ({} post(s) dropped)", env.id, group, uri, *dropped);
  co_return Result<void>{};
}

}  // namespace civicpub::server::inbound
