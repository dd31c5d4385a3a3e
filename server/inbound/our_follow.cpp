#include "server/inbound/our_follow.hpp"

#include "storage/actors.hpp"
#include "storage/follows.hpp"

namespace civicpub::server::inbound {

Result<std::optional<storage::FollowRecord>> find_answered_follow(
    storage::Connection& conn, const std::string& answering_actor,
    const std::optional<std::string>& follow_id, const std::optional<std::string>& our_actor) {
  auto remote = storage::actors::find_by_uri(conn, answering_actor);
  if (!remote) return remote.error();
  if (!*remote) return std::optional<storage::FollowRecord>{};
  if (follow_id) {
    auto follow = storage::follows::find_by_activity_uri(conn, *follow_id);
    if (!follow) return follow.error();
    if (*follow && (*follow)->target_id == (*remote)->id) {
      auto follower = storage::actors::find_by_id(conn, (*follow)->follower_id);
      if (!follower) return follower.error();
      if (*follower && (*follower)->local) return *follow;
    }
  }
  if (!our_actor) return std::optional<storage::FollowRecord>{};
  auto local = storage::actors::find_by_uri(conn, *our_actor);
  if (!local) return local.error();
  if (!*local || !(*local)->local) return std::optional<storage::FollowRecord>{};
  return storage::follows::find_by_pair(conn, (*local)->id, (*remote)->id);
}

}  // namespace civicpub::server::inbound
