#include "federation/remote/thread_claim.hpp"

#include "storage/actors.hpp"
#include "storage/thread_audience.hpp"

#include <algorithm>

namespace civicpub::federation {
namespace {

bool addresses(const convert::RemotePost& post, const std::string& uri) {
  auto named = [&](const std::vector<std::string>& list) {
    return std::find(list.begin(), list.end(), uri) != list.end();
  };
  if (named(post.to) || named(post.cc)) return true;
  return std::any_of(post.mentions.begin(), post.mentions.end(),
                     [&](const storage::MentionRecord& m) { return m.actor_uri == uri; });
}

}  // namespace

Result<bool> may_claim_context(storage::Connection& conn, const convert::RemotePost& post,
                               const std::optional<storage::PostRecord>& parent) {
  if (!post.context || post.context->empty()) return true;
  auto thread = storage::thread_audience::find_local_thread(conn, "", *post.context);
  if (!thread) return Result<bool>(boost::system::in_place_error, thread.error());
  if (!*thread) return true;  // not one of ours: the owner's server decides
  if (!post.in_reply_to || post.in_reply_to->empty()) return false;
  if (parent) {
    return parent->context == (*thread)->context || parent->thread_root == (*thread)->root ||
           parent->ap_id == (*thread)->root;
  }
  auto owner = storage::actors::find_by_id(conn, (*thread)->owner_id);
  if (!owner) return Result<bool>(boost::system::in_place_error, owner.error());
  return *owner && addresses(post, (*owner)->uri);
}

}  // namespace civicpub::federation
