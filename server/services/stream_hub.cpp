#include "server/services/stream_hub.hpp"

#include "server/views/api_reads.hpp"
#include "storage/follows.hpp"
#include "storage/post_details.hpp"
#include "storage/posts.hpp"

#include <boost/asio/post.hpp>

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>

namespace civicpub::server::services {
namespace asio = boost::asio;
using Kind = StreamName::Kind;

namespace {

class StreamCategory final : public KindedCategory {
 public:
  const char* name() const noexcept override { return "civicpub.stream"; }
  std::string message(int value) const override {
    switch (static_cast<StreamError>(value)) {
      case StreamError::too_many_streams: return "Too many open streams; try again later";
      case StreamError::too_many_for_token: return "Too many open streams for this access token";
    }
    return "stream error";
  }
  ErrorKind kind(int value) const noexcept override {
    return static_cast<StreamError>(value) == StreamError::too_many_streams ? ErrorKind::transient
                                                                            : ErrorKind::too_large;
  }
};

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// What one status means for the streams, read once per change.
struct StatusFacts {
  storage::PostRecord post;
  std::vector<std::string> tags;  // lowercase
};

bool shows_publicly(const StatusFacts& s, Kind kind) {
  if (s.post.visibility != storage::Visibility::public_) return false;
  switch (kind) {
    case Kind::public_all: return true;
    case Kind::public_local: return s.post.local;
    case Kind::public_remote: return !s.post.local;
    default: return false;
  }
}

bool has_tag(const StatusFacts& s, const std::string& tag) {
  return std::find(s.tags.begin(), s.tags.end(), tag) != s.tags.end();
}

}  // namespace

const KindedCategory& stream_error_category() noexcept {
  static const StreamCategory category;
  return category;
}

struct StreamHub::Registry {
  Registry(storage::Database& db_in, const federation::as2::InstanceInfo& instance_in,
           std::shared_ptr<spdlog::logger> log_in)
      : db(db_in), instance(instance_in), log(std::move(log_in)) {}

  storage::Database& db;
  const federation::as2::InstanceInfo& instance;
  std::shared_ptr<spdlog::logger> log;
  mutable std::mutex mutex;
  std::vector<std::weak_ptr<StreamSubscriber>> subscribers;

  // The live subscribers (dropping the gone ones). Called with the mutex held.
  std::vector<std::shared_ptr<StreamSubscriber>> live_locked() {
    std::vector<std::shared_ptr<StreamSubscriber>> out;
    out.reserve(subscribers.size());
    std::size_t kept = 0;
    for (std::size_t i = 0; i < subscribers.size(); ++i) {
      auto sub = subscribers[i].lock();
      if (!sub || sub->closed()) continue;
      out.push_back(std::move(sub));
      // Never a self-move: libstdc++ empties a weak_ptr moved onto itself.
      if (kept != i) subscribers[kept] = std::move(subscribers[i]);
      ++kept;
    }
    subscribers.resize(kept);
    return out;
  }
  std::vector<std::shared_ptr<StreamSubscriber>> live() {
    std::lock_guard lock(mutex);
    return live_locked();
  }
  // Cheap: a stream that just closed may still be counted until the next live().
  bool any() const {
    std::lock_guard lock(mutex);
    return !subscribers.empty();
  }

  std::optional<StatusFacts> facts(const std::string& ap_id) {
    auto read = db.read([&](storage::Connection& conn) -> Result<std::optional<StatusFacts>> {
      auto post = storage::posts::find_by_ap_id(conn, ap_id);
      if (!post) return post.error();
      if (!*post) return std::optional<StatusFacts>();
      StatusFacts facts{std::move(**post), {}};
      auto tags = storage::post_details::hashtags(conn, facts.post.id);
      if (!tags) return tags.error();
      for (const auto& tag : *tags) facts.tags.push_back(lower(tag.name));
      return std::optional<StatusFacts>(std::move(facts));
    });
    if (!read) {
      log->warn("streaming: reading {} failed: {}", ap_id, read.error().message());
      return std::nullopt;
    }
    return std::move(*read);
  }

  bool follows(std::int64_t follower, std::int64_t target) {
    auto found = db.read([&](storage::Connection& conn) {
      return storage::follows::find_by_pair(conn, follower, target);
    });
    return found && *found && (*found)->state == storage::FollowState::accepted;
  }

  // Does `name` of the stream of `viewer` show this status?
  bool shows(const StatusFacts& s, const StreamName& name, std::int64_t viewer,
             std::map<std::int64_t, bool>& following) {
    switch (name.kind) {
      case Kind::user: {
        if (s.post.author_id == viewer) return true;
        if (s.post.visibility == storage::Visibility::direct) return false;
        auto [it, fresh] = following.try_emplace(viewer, false);
        if (fresh) it->second = follows(viewer, s.post.author_id);
        return it->second;
      }
      case Kind::user_notification: return false;
      case Kind::hashtag:
        return shows_publicly(s, Kind::public_all) && has_tag(s, name.tag);
      case Kind::hashtag_local:
        return shows_publicly(s, Kind::public_local) && has_tag(s, name.tag);
      default: return shows_publicly(s, name.kind);
    }
  }
};

StreamHub::StreamHub(storage::Database& db, const federation::as2::InstanceInfo& instance,
                     asio::any_io_executor executor, StreamLimits limits,
                     std::shared_ptr<spdlog::logger> log)
    : executor_(std::move(executor)),
      limits_(limits),
      log_(log),
      registry_(std::make_shared<Registry>(db, instance, std::move(log))) {}

StreamHub::~StreamHub() = default;

Result<std::shared_ptr<StreamSubscriber>> StreamHub::open(StreamOwner owner, StreamWire wire,
                                                         asio::any_io_executor strand,
                                                         std::function<bool()> still_authorized) {
  std::lock_guard lock(registry_->mutex);
  const auto live = registry_->live_locked();
  if (live.size() >= limits_.max_connections) return make_error_code(StreamError::too_many_streams);
  const auto of_token = std::count_if(live.begin(), live.end(), [&](const auto& sub) {
    return sub->token_id() == owner.token_id;
  });
  if (static_cast<std::size_t>(of_token) >= limits_.max_per_token) {
    return make_error_code(StreamError::too_many_for_token);
  }
  auto sub = std::make_shared<StreamSubscriber>(std::move(strand), owner.token_id,
                                                owner.account_id, wire, limits_,
                                                std::move(still_authorized));
  registry_->subscribers.push_back(sub);
  return sub;
}

std::size_t StreamHub::open_count() const {
  return registry_->live().size();
}

void StreamHub::close_token(std::int64_t token_id) {
  for (auto& sub : registry_->live()) {
    if (sub->token_id() == token_id) sub->close();
  }
}

bool StreamHub::shows_notifications_of(std::int64_t account_id) const {
  for (auto& sub : registry_->live()) {
    if (sub->account_id() != account_id) continue;
    for (const auto& name : sub->streams()) {
      if (name.kind == Kind::user || name.kind == Kind::user_notification) return true;
    }
  }
  return false;
}

void StreamHub::publish_notification(std::int64_t account_id, const std::string& json) {
  for (auto& sub : registry_->live()) {
    if (sub->account_id() != account_id) continue;
    for (const auto& name : sub->streams()) {
      if (name.kind == Kind::user || name.kind == Kind::user_notification) {
        sub->deliver(name, "notification", json);
      }
    }
  }
}

StatusChangeSink StreamHub::sink() {
  return [this](StatusChange change, const std::string& ap_id) { status_changed(change, ap_id); };
}

bool StreamHub::listening() const {
  return registry_->any();
}

void StreamHub::status_changed(StatusChange change, const std::string& ap_id) {
  // Nobody streams: no handler to post (a burst of stored statuses would wake a thread each).
  if (!registry_->any()) return;
  asio::post(executor_, [registry = registry_, change, ap_id] {
    StreamHub::fan_out_on(*registry, change, ap_id);
  });
}

void StreamHub::fan_out_on(Registry& registry, StatusChange change, const std::string& ap_id) {
  auto subscribers = registry.live();
  if (subscribers.empty()) return;  // nobody listens: not even a read
  auto facts = registry.facts(ap_id);
  if (!facts) return;
  const char* event = change == StatusChange::created  ? "update"
                      : change == StatusChange::edited ? "status.update"
                                                       : "delete";
  const std::string id = std::to_string(facts->post.id);
  std::map<std::int64_t, bool> following;
  std::map<std::int64_t, std::optional<std::string>> rendered;  // per viewing account
  for (auto& sub : subscribers) {
    const auto viewer = sub->account_id();
    for (const auto& name : sub->streams()) {
      if (!registry.shows(*facts, name, viewer, following)) continue;
      if (change == StatusChange::deleted) {
        sub->deliver(name, event, id);
        continue;
      }
      auto [it, fresh] = rendered.try_emplace(viewer);
      if (fresh) {
        auto json = views::status_json(registry.db, facts->post,
                                       views::ApiView{registry.instance, viewer});
        if (json) {
          it->second = std::move(*json);
        } else {
          registry.log->warn("streaming: rendering {} failed: {}", ap_id, json.error().message());
        }
      }
      if (it->second) sub->deliver(name, event, *it->second);
    }
  }
}

}  // namespace civicpub::server::services
