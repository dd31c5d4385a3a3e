#include "server/inbound/post_relevance.hpp"

#include "federation/remote/thread_claim.hpp"
#include "storage/actors.hpp"
#include "storage/follows.hpp"
#include "storage/posts.hpp"

namespace civicpub::server::inbound {
namespace {

// Result<bool> cannot be built from an error_code implicitly (bool would take it too).
Result<bool> failed(boost::system::error_code ec) {
  return {boost::system::in_place_error, ec};
}

Result<bool> is_local_actor(storage::Connection& conn, const std::string& uri) {
  auto actor = storage::actors::find_by_uri(conn, uri);
  if (!actor) return failed(actor.error());
  return *actor && (*actor)->local && !(*actor)->deleted_at;
}

// Per local account, as in on_delete: storage has no "followers of X among locals" statement
// and local accounts are few.
Result<bool> has_local_follower(storage::Connection& conn, std::int64_t author_id) {
  auto locals = storage::actors::list_local(conn);
  if (!locals) return failed(locals.error());
  for (const auto& local : *locals) {
    auto follow = storage::follows::find_by_pair(conn, local.id, author_id);
    if (!follow) return failed(follow.error());
    if (*follow && (*follow)->state == storage::FollowState::accepted) return true;
  }
  return false;
}

}  // namespace

Result<bool> concerns_us(storage::Connection& conn, const federation::convert::RemotePost& post,
                         std::int64_t author_id) {
  std::optional<storage::PostRecord> parent;
  if (post.in_reply_to && !post.in_reply_to->empty()) {
    auto found = storage::posts::find_by_ap_id(conn, *post.in_reply_to);
    if (!found) return failed(found.error());
    if (*found) return true;
  }
  // A post of a conversation stored here (FEP-7888 `context`), even when the reply in between
  // has not arrived yet; claiming the context of one of our own threads is not enough
  // (thread_claim.hpp).
  auto may_claim = federation::may_claim_context(conn, post, parent);
  if (!may_claim) return failed(may_claim.error());
  if (*may_claim && post.context && !post.context->empty()) {
    auto in_context = storage::posts::count_by_context(conn, *post.context, false);
    if (!in_context) return failed(in_context.error());
    if (*in_context > 0) return true;
  }
  for (const auto* list : {&post.to, &post.cc}) {
    for (const auto& uri : *list) {
      auto local = is_local_actor(conn, uri);
      if (!local) return local;
      if (*local) return true;
    }
  }
  for (const auto& mention : post.mentions) {
    auto local = is_local_actor(conn, mention.actor_uri);
    if (!local) return local;
    if (*local) return true;
  }
  return has_local_follower(conn, author_id);
}

}  // namespace civicpub::server::inbound
