// One open streaming connection (Mastodon's streaming API, issue 13): the streams it listens to
// and a bounded queue of messages waiting to be sent. Publishers (any thread) push; the
// connection's strand takes messages with next(). A queue that would pass its caps closes the
// connection instead of buffering more (a consumer that does not keep up must reconnect).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace civicpub::server::services {

// user, user:notification, public, public:local, public:remote, hashtag, hashtag:local.
struct StreamName {
  enum class Kind { user, user_notification, public_all, public_local, public_remote, hashtag,
                    hashtag_local };
  Kind kind = Kind::user;
  std::string tag;  // hashtag streams: lowercase, without '#'

  bool operator==(const StreamName&) const = default;
  // The scope a token needs for it (read:statuses, or read:notifications).
  std::string_view scope() const;
  // The `stream` member of a WebSocket message: ["user"], ["hashtag","town"].
  std::vector<std::string> parts() const;
};

// Mastodon's stream names; `tag` for the hashtag ones (a leading '#' is dropped). nullopt: an
// unknown stream, or a hashtag stream without a usable tag (1 to 100 characters).
std::optional<StreamName> parse_stream_name(std::string_view name, std::string_view tag);

struct StreamLimits {
  std::size_t max_connections = 1000;       // open streams in the whole server
  std::size_t max_per_token = 8;            // open streams of one access token
  std::size_t max_streams = 16;             // subscriptions on one WebSocket
  std::size_t max_queued_messages = 256;    // waiting to be sent on one connection
  std::size_t max_queued_bytes = 2 << 20;   // the same in bytes
  std::chrono::milliseconds heartbeat{10000};
};

enum class StreamWire { event_stream, websocket };

class StreamSubscriber : public std::enable_shared_from_this<StreamSubscriber> {
 public:
  // `still_authorized` is asked at every heartbeat: a revoked or expired token (or a deleted
  // account) ends the stream then, whichever process revoked it.
  StreamSubscriber(boost::asio::any_io_executor strand, std::int64_t token_id,
                   std::int64_t account_id, StreamWire wire, const StreamLimits& limits,
                   std::function<bool()> still_authorized);
  StreamSubscriber(const StreamSubscriber&) = delete;
  StreamSubscriber& operator=(const StreamSubscriber&) = delete;

  std::int64_t token_id() const { return token_id_; }
  std::int64_t account_id() const { return account_id_; }

  // False when the connection already has limits.max_streams subscriptions.
  bool subscribe(StreamName name);
  void unsubscribe(const StreamName& name);
  std::vector<StreamName> streams() const;

  // Queues one event for `name`, framed for the wire: a WebSocket message
  // {"stream":[...],"event":...,"payload":...} or SSE lines "event: ...\ndata: ...\n\n". Over the
  // caps the queue is dropped and the connection ends. Thread-safe.
  void deliver(const StreamName& name, std::string_view event, std::string_view payload);
  // Queues a message as it is (a WebSocket error answer). Thread-safe.
  void send_raw(std::string message);
  // Ends the stream (next() answers end). Thread-safe.
  void close();
  bool closed() const;

  struct Next {
    enum class Kind { message, heartbeat, end };
    Kind kind = Kind::end;
    std::string text;
  };
  // On the strand: the next queued message; a heartbeat when nothing was sent for
  // limits.heartbeat; end once closed or overflowed. Cancellable (then: end).
  boost::asio::awaitable<Next> next();

 private:
  void push(std::string message);
  void wake();

  boost::asio::any_io_executor strand_;
  boost::asio::steady_timer timer_;  // on strand_; cancelled to wake next()
  const std::int64_t token_id_;
  const std::int64_t account_id_;
  const StreamWire wire_;
  const StreamLimits limits_;
  std::function<bool()> still_authorized_;

  mutable std::mutex mutex_;
  std::deque<std::string> queue_;
  std::size_t queued_bytes_ = 0;
  bool closed_ = false;
  std::vector<StreamName> streams_;
  std::chrono::steady_clock::time_point next_heartbeat_;
};

}  // namespace civicpub::server::services
