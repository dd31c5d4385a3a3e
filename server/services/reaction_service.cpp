#include "server/services/reaction_service.hpp"

#include "federation/as2/activities.hpp"
#include "federation/as2/json.hpp"
#include "federation/as2/note.hpp"
#include "federation/as2/reaction_activities.hpp"
#include "federation/as2/reader.hpp"
#include "federation/delivery/outbox.hpp"
#include "federation/storage_async.hpp"
#include "server/services/notifications.hpp"
#include "server/services/service_error.hpp"
#include "storage/actors.hpp"
#include "storage/errors.hpp"
#include "storage/follows.hpp"
#include "storage/reaction_lists.hpp"
#include "storage/reactions.hpp"

#include <algorithm>
#include <cstdio>

namespace civicpub::server::services {
namespace {

struct ReactionJob {
  storage::ActorRecord actor;
  storage::PostRecord post;
  storage::ReactionKind kind = storage::ReactionKind::like;
  std::string new_id;  // the activity id for a new reaction
  storage::Millis now = 0;
  bool undo = false;
};

Result<bool> failed(const boost::system::error_code& ec) {
  return Result<bool>(boost::system::in_place_error, ec);
}

std::string render(const ReactionJob& j, const storage::ActorRecord& author,
                   const std::string& id, storage::Millis published) {
  if (j.kind == storage::ReactionKind::like) {
    return federation::as2::render_like(id, j.actor.uri, j.post.ap_id, author.uri);
  }
  federation::as2::Addressing addressing;
  addressing.to = {std::string(federation::as2::kPublic)};
  addressing.cc = {j.actor.followers, author.uri};
  return federation::as2::render_announce_object(id, j.actor.uri, j.post.ap_id, addressing,
                                                 published);
}

// A Like goes to the author; an Announce also to the booster's remote followers.
Result<std::vector<std::string>> inboxes_for(storage::Connection& conn, const ReactionJob& j,
                                             const storage::ActorRecord& author) {
  std::vector<std::string> out;
  if (j.kind == storage::ReactionKind::announce) {
    auto followers = storage::follows::follower_inboxes(conn, j.actor.id);
    if (!followers) return followers.error();
    out = std::move(*followers);
  }
  if (!author.local) {
    const auto& box = author.inbox.empty() ? author.shared_inbox : author.inbox;
    if (!box.empty() && std::find(out.begin(), out.end(), box) == out.end()) out.push_back(box);
  }
  return out;
}

Result<bool> apply(storage::Connection& conn, const ReactionJob& j) {
  auto existing = storage::reactions::find(conn, j.kind, j.actor.id, j.post.id);
  if (!existing) return failed(existing.error());
  auto author = storage::actors::find_by_id(conn, j.post.author_id);
  if (!author) return failed(author.error());
  if (!*author) return failed(make_error_code(storage::Errc::not_found));
  std::string id;
  std::string body;
  if (!j.undo) {
    if (*existing) return false;
    storage::ReactionRecord reaction{0, j.new_id, j.kind, j.actor.id, j.post.id, j.now};
    auto added = storage::reactions::add(conn, reaction);
    if (!added || !*added) return added;
    auto told = notify(conn, j.post.author_id,
                       j.kind == storage::ReactionKind::like ? NotificationType::favourite
                                                             : NotificationType::reblog,
                       j.actor.id, j.post.id, j.now);
    if (!told) return told;
    id = j.new_id;
    body = render(j, **author, id, j.now);
  } else {
    if (!*existing) return false;
    auto removed = storage::reactions::remove(conn, j.kind, j.actor.id, j.post.id);
    if (!removed) return removed;
    const auto original =
        render(j, **author, (*existing)->activity_uri, (*existing)->created_at);
    auto doc = federation::as2::parse_json(original);
    if (!doc) return failed(doc.error());
    id = (*existing)->activity_uri + "/undo";
    body = federation::as2::render_undo(id, j.actor.uri, *doc);
  }
  auto inboxes = inboxes_for(conn, j, **author);
  if (!inboxes) return failed(inboxes.error());
  if (!inboxes->empty()) {
    auto queued = federation::enqueue_activity(conn, id, j.actor.id, body, *inboxes, j.now);
    if (!queued) return failed(queued.error());
  }
  return true;
}

// A plain function, not a lambda in the coroutine (GCC 12 destroys its captures twice).
auto reaction_job(ReactionJob j) {
  return [j = std::move(j)](storage::Connection& conn) { return apply(conn, j); };
}

auto bookmark_job(std::int64_t account_id, std::int64_t post_id, bool bookmarked,
                  storage::Millis now) {
  return [=](storage::Connection& conn) {
    return bookmarked ? storage::bookmarks::add(conn, account_id, post_id, now)
                      : storage::bookmarks::remove(conn, account_id, post_id);
  };
}

}  // namespace

bool may_reblog(const storage::ActorRecord& actor, const storage::PostRecord& post) {
  return post.author_id == actor.id || post.visibility == storage::Visibility::public_ ||
         post.visibility == storage::Visibility::unlisted;
}

boost::asio::awaitable<Result<bool>> set_bookmark(storage::Database& db, std::int64_t account_id,
                                                  std::int64_t post_id, bool bookmarked,
                                                  storage::Millis now) {
  auto job = bookmark_job(account_id, post_id, bookmarked, now);
  auto done = co_await federation::write(db, std::move(job));
  co_return done;
}

boost::asio::awaitable<Result<bool>> ReactionService::react(storage::ActorRecord actor,
                                                            storage::PostRecord post,
                                                            storage::ReactionKind kind) {
  if (kind == storage::ReactionKind::announce && !may_reblog(actor, post)) {
    co_return failed(make_error_code(ServiceError::not_author));  // forbidden
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(rng_()));
  ReactionJob j;
  j.new_id = actor.uri + (kind == storage::ReactionKind::like ? "#likes/" : "#announces/") + hex;
  j.actor = std::move(actor);
  j.post = std::move(post);
  j.kind = kind;
  j.now = clock_();
  auto job = reaction_job(std::move(j));
  auto done = co_await federation::write(db_, std::move(job));
  co_return done;
}

boost::asio::awaitable<Result<bool>> ReactionService::undo(storage::ActorRecord actor,
                                                           storage::PostRecord post,
                                                           storage::ReactionKind kind) {
  ReactionJob j;
  j.actor = std::move(actor);
  j.post = std::move(post);
  j.kind = kind;
  j.now = clock_();
  j.undo = true;
  auto job = reaction_job(std::move(j));
  auto done = co_await federation::write(db_, std::move(job));
  co_return done;
}

}  // namespace civicpub::server::services
