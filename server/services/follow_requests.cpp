#include "server/services/follow_requests.hpp"

#include "federation/as2/activities.hpp"
#include "federation/as2/reader.hpp"
#include "federation/crypto/sha256.hpp"
#include "federation/delivery/outbox.hpp"
#include "federation/storage_async.hpp"
#include "storage/actors.hpp"
#include "storage/deliveries.hpp"
#include "storage/errors.hpp"
#include "storage/follows.hpp"

namespace civicpub::server::services {
namespace {

std::string hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : bytes) {
    out += kDigits[b >> 4];
    out += kDigits[b & 0xf];
  }
  return out;
}

// The Follow as Mastodon matches it (id, type, actor, object), for answers given later from the
// CLI, when the received document is no longer at hand.
rapidjson::Document rebuild_follow(const storage::FollowRecord& follow,
                                   const storage::ActorRecord& follower,
                                   const storage::ActorRecord& target) {
  rapidjson::Document doc;
  doc.SetObject();
  auto& alloc = doc.GetAllocator();
  auto str = [&](const std::string& s) { return rapidjson::Value(s.c_str(), alloc); };
  doc.AddMember("id", str(follow.activity_uri), alloc);
  doc.AddMember("type", "Follow", alloc);
  doc.AddMember("actor", str(follower.uri), alloc);
  doc.AddMember("object", str(target.uri), alloc);
  return doc;
}

struct FollowParties {
  storage::FollowRecord follow;
  storage::ActorRecord follower;
  storage::ActorRecord target;
};

Result<FollowParties> load_parties(storage::Connection& conn, std::int64_t follower_id,
                                   std::int64_t target_id) {
  auto follow = storage::follows::find_by_pair(conn, follower_id, target_id);
  if (!follow) return follow.error();
  auto follower = storage::actors::find_by_id(conn, follower_id);
  if (!follower) return follower.error();
  auto target = storage::actors::find_by_id(conn, target_id);
  if (!target) return target.error();
  if (!*follow || !*follower || !*target || !(*target)->local) {
    return make_error_code(storage::Errc::not_found);
  }
  return FollowParties{**follow, **follower, **target};
}

// A plain function, not a lambda in the coroutine (GCC 12 destroys its captures twice).
auto answer_job(std::int64_t follower_id, std::int64_t target_id, bool approve,
                storage::Millis now) {
  return [=](storage::Connection& conn) -> Result<void> {
    if (!approve) return reject_follow(conn, follower_id, target_id, now);
    auto approved = approve_follow(conn, follower_id, target_id, now);
    if (!approved) return approved.error();
    return {};
  };
}

}  // namespace

std::string follow_answer_id(std::string_view local_actor_uri, std::string_view kind,
                             std::string_view follow_id) {
  return std::string(local_actor_uri) + "#" + std::string(kind) + "/follows/" +
         hex(federation::crypto::sha256(follow_id).substr(0, 12));
}

Result<std::size_t> enqueue_follow_answer(storage::Connection& conn,
                                          const storage::ActorRecord& local,
                                          const storage::ActorRecord& follower,
                                          const rapidjson::Value& follow, bool accept,
                                          storage::Millis now) {
  const std::string follow_id = federation::as2::member_id(follow, "id").value_or("");
  const std::string id = follow_answer_id(local.uri, accept ? "accepts" : "rejects", follow_id);
  const std::string body = accept ? federation::as2::render_accept(id, local.uri, follow)
                                  : federation::as2::render_reject(id, local.uri, follow);
  // The personal inbox: an answer concerns one actor, and Mastodon expects it there.
  const std::string& inbox = follower.inbox.empty() ? follower.shared_inbox : follower.inbox;
  return federation::enqueue_activity(conn, id, local.id, body, {inbox}, now);
}

Result<bool> approve_follow(storage::Connection& conn, std::int64_t follower_id,
                            std::int64_t target_id, storage::Millis now) {
  // Result<bool> cannot be built from a bare error_code (bool is constructible from it too).
  auto failed = [](boost::system::error_code ec) {
    return Result<bool>(boost::system::in_place_error, ec);
  };
  auto parties = load_parties(conn, follower_id, target_id);
  if (!parties) return failed(parties.error());
  if (parties->follow.state == storage::FollowState::accepted) return false;
  if (auto set = storage::follows::set_state(conn, parties->follow.id,
                                             storage::FollowState::accepted, now);
      !set) {
    return failed(set.error());
  }
  auto follow = rebuild_follow(parties->follow, parties->follower, parties->target);
  auto queued = enqueue_follow_answer(conn, parties->target, parties->follower, follow, true, now);
  if (!queued) return failed(queued.error());
  return true;
}

Result<void> reject_follow(storage::Connection& conn, std::int64_t follower_id,
                           std::int64_t target_id, storage::Millis now) {
  auto parties = load_parties(conn, follower_id, target_id);
  if (!parties) return parties.error();
  auto removed = storage::follows::remove(conn, follower_id, target_id);
  if (!removed) return removed.error();
  auto follow = rebuild_follow(parties->follow, parties->follower, parties->target);
  auto queued = enqueue_follow_answer(conn, parties->target, parties->follower, follow, false, now);
  if (!queued) return queued.error();
  return {};
}

boost::asio::awaitable<Result<void>> answer_follow_request(storage::Database& db,
                                                           std::int64_t follower_id,
                                                           std::int64_t target_id, bool approve,
                                                           storage::Millis now) {
  auto job = answer_job(follower_id, target_id, approve, now);
  auto done = co_await federation::write(db, std::move(job));
  co_return done;
}

}  // namespace civicpub::server::services
