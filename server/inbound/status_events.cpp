#include "server/inbound/status_events.hpp"

#include "storage/posts.hpp"

#include <optional>
#include <string>

namespace civicpub::server::inbound {
namespace {

// What the streams care about of a stored post.
struct Snapshot {
  bool stored = false;
  bool deleted = false;
  std::optional<storage::Millis> updated;
  std::string content;
  std::string summary;
};

Snapshot snapshot(storage::Database& db, const std::string& uri) {
  auto found = db.read([&](storage::Connection& c) { return storage::posts::find_by_ap_id(c, uri); });
  Snapshot out;
  if (!found || !*found) return out;
  const auto& post = **found;
  out.stored = true;
  out.deleted = post.deleted_at.has_value();
  out.updated = post.updated;
  out.content = post.content_html;
  out.summary = post.summary;
  return out;
}

std::optional<services::StatusChange> change_between(const Snapshot& before,
                                                     const Snapshot& after) {
  if (!after.stored) return std::nullopt;
  if (after.deleted) {
    if (before.stored && !before.deleted) return services::StatusChange::deleted;
    return std::nullopt;
  }
  if (!before.stored) return services::StatusChange::created;
  if (before.deleted) return std::nullopt;
  if (before.updated != after.updated || before.content != after.content ||
      before.summary != after.summary) {
    return services::StatusChange::edited;
  }
  return std::nullopt;
}

bool concerns_posts(const federation::as2::ActivityEnvelope& env) {
  return env.object_id && env.object_id != env.actor &&
         (env.type == "Create" || env.type == "Update" || env.type == "Delete");
}

}  // namespace

boost::asio::awaitable<Result<void>> StatusEventDispatcher::dispatch(
    const federation::InboundActivity& activity) {
  if (!sink_ || !concerns_posts(activity.envelope) || (listening_ && !listening_())) {
    auto handled = co_await inner_.dispatch(activity);
    co_return handled;
  }
  const std::string uri = *activity.envelope.object_id;
  const Snapshot before = snapshot(db_, uri);
  auto handled = co_await inner_.dispatch(activity);
  if (!handled) co_return handled;
  const Snapshot after = snapshot(db_, uri);
  if (auto change = change_between(before, after)) sink_(*change, uri);
  co_return handled;
}

}  // namespace civicpub::server::inbound
