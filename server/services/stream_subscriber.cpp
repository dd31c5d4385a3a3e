#include "server/services/stream_subscriber.hpp"

#include "federation/as2/json.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <cctype>

namespace civicpub::server::services {
namespace asio = boost::asio;
using SteadyClock = std::chrono::steady_clock;

namespace {

constexpr std::size_t kMaxTagLength = 100;

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view kind_name(StreamName::Kind kind) {
  switch (kind) {
    case StreamName::Kind::user: return "user";
    case StreamName::Kind::user_notification: return "user:notification";
    case StreamName::Kind::public_all: return "public";
    case StreamName::Kind::public_local: return "public:local";
    case StreamName::Kind::public_remote: return "public:remote";
    case StreamName::Kind::hashtag: return "hashtag";
    case StreamName::Kind::hashtag_local: return "hashtag:local";
  }
  return "user";
}

}  // namespace

std::string_view StreamName::scope() const {
  return kind == Kind::user_notification ? "read:notifications" : "read:statuses";
}

std::vector<std::string> StreamName::parts() const {
  std::vector<std::string> out{std::string(kind_name(kind))};
  if (kind == Kind::hashtag || kind == Kind::hashtag_local) out.push_back(tag);
  return out;
}

std::optional<StreamName> parse_stream_name(std::string_view name, std::string_view tag) {
  static constexpr StreamName::Kind kKinds[] = {
      StreamName::Kind::user,         StreamName::Kind::user_notification,
      StreamName::Kind::public_all,   StreamName::Kind::public_local,
      StreamName::Kind::public_remote, StreamName::Kind::hashtag,
      StreamName::Kind::hashtag_local};
  for (auto kind : kKinds) {
    if (kind_name(kind) != name) continue;
    StreamName out{kind, {}};
    if (kind == StreamName::Kind::hashtag || kind == StreamName::Kind::hashtag_local) {
      if (!tag.empty() && tag.front() == '#') tag.remove_prefix(1);
      if (tag.empty() || tag.size() > kMaxTagLength ||
          tag.find_first_of(" \t\r\n#") != std::string_view::npos) {
        return std::nullopt;
      }
      out.tag = lower(tag);
    }
    return out;
  }
  return std::nullopt;
}

StreamSubscriber::StreamSubscriber(asio::any_io_executor strand, std::int64_t token_id,
                                   std::int64_t account_id, StreamWire wire,
                                   const StreamLimits& limits,
                                   std::function<bool()> still_authorized)
    : strand_(strand),
      timer_(strand),
      token_id_(token_id),
      account_id_(account_id),
      wire_(wire),
      limits_(limits),
      still_authorized_(std::move(still_authorized)),
      next_heartbeat_(SteadyClock::now() + limits.heartbeat) {}

bool StreamSubscriber::subscribe(StreamName name) {
  std::lock_guard lock(mutex_);
  if (std::find(streams_.begin(), streams_.end(), name) != streams_.end()) return true;
  if (streams_.size() >= limits_.max_streams) return false;
  streams_.push_back(std::move(name));
  return true;
}

void StreamSubscriber::unsubscribe(const StreamName& name) {
  std::lock_guard lock(mutex_);
  streams_.erase(std::remove(streams_.begin(), streams_.end(), name), streams_.end());
}

std::vector<StreamName> StreamSubscriber::streams() const {
  std::lock_guard lock(mutex_);
  return streams_;
}

void StreamSubscriber::deliver(const StreamName& name, std::string_view event,
                               std::string_view payload) {
  if (wire_ == StreamWire::event_stream) {
    // The payload is one line: JSON written by us (newlines inside strings are escaped) or an id.
    std::string message;
    message.reserve(event.size() + payload.size() + 16);
    message.append("event: ").append(event).append("\ndata: ").append(payload).append("\n\n");
    push(std::move(message));
    return;
  }
  federation::as2::JsonWriter out;
  out.start_object();
  out.string_array("stream", name.parts());
  out.field("event", event);
  out.field("payload", payload);
  out.end_object();
  push(out.str());
}

void StreamSubscriber::send_raw(std::string message) {
  push(std::move(message));
}

void StreamSubscriber::push(std::string message) {
  bool was_empty = false;
  {
    std::lock_guard lock(mutex_);
    if (closed_) return;
    if (queue_.size() + 1 > limits_.max_queued_messages ||
        queued_bytes_ + message.size() > limits_.max_queued_bytes) {
      // Never buffer without bound for a consumer that does not keep up: end its stream.
      closed_ = true;
      queue_.clear();
      queued_bytes_ = 0;
    } else {
      was_empty = queue_.empty();
      queued_bytes_ += message.size();
      queue_.push_back(std::move(message));
      if (!was_empty) return;
    }
  }
  wake();
}

void StreamSubscriber::close() {
  {
    std::lock_guard lock(mutex_);
    if (closed_) return;
    closed_ = true;
    queue_.clear();
    queued_bytes_ = 0;
  }
  wake();
}

bool StreamSubscriber::closed() const {
  std::lock_guard lock(mutex_);
  return closed_;
}

// The timer belongs to the strand: cancel it there. next() checks the queue before each wait, on
// the strand, so a wake-up posted between that check and the wait still cancels the wait.
void StreamSubscriber::wake() {
  asio::post(strand_, [self = shared_from_this()] { self->timer_.cancel(); });
}

asio::awaitable<StreamSubscriber::Next> StreamSubscriber::next() {
  for (;;) {
    Next out;
    bool have = false;
    {
      std::lock_guard lock(mutex_);
      if (closed_) {
        have = true;
      } else if (!queue_.empty()) {
        out.kind = Next::Kind::message;
        out.text = std::move(queue_.front());
        queue_.pop_front();
        queued_bytes_ -= out.text.size();
        have = true;
      }
    }
    const auto now = SteadyClock::now();
    if (have) {
      if (out.kind == Next::Kind::message) next_heartbeat_ = now + limits_.heartbeat;
      co_return out;
    }
    if (now >= next_heartbeat_) {
      next_heartbeat_ = now + limits_.heartbeat;
      if (still_authorized_ && !still_authorized_()) {
        close();
        co_return Next{};
      }
      co_return Next{Next::Kind::heartbeat, {}};
    }
    timer_.expires_at(next_heartbeat_);
    auto [ec] = co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
    (void)ec;  // expired (heartbeat), or cancelled by wake() or by the caller
    auto state = co_await asio::this_coro::cancellation_state;
    if (state.cancelled() != asio::cancellation_type::none) co_return Next{};
  }
}

}  // namespace civicpub::server::services
