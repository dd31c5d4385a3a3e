// The in-process hub of the Mastodon streaming API (issue 13): open streams register here, and
// the places that store statuses tell it what changed after their write committed
// (StatusChange: PostService for local posts, the inbound Create/Update/Delete handlers for
// remote ones); notifications arrive through publish_notification. The hub renders each status
// once per viewing account (views::status_json) and queues it on every stream that shows it:
// - user: the account's own statuses and those of accounts it follows (accepted), except
//   direct ones; the account's notifications. user:notification: notifications only.
// - public, public:local, public:remote: public statuses (local ones, remote ones).
// - hashtag, hashtag:local: public statuses with that hashtag.
// Events: update (a new status), status.update (an edit), delete (the id), notification.
// Limits (StreamLimits): open streams in total and per token; the rest is the subscriber's.
#pragma once

#include "federation/as2/instance_info.hpp"
#include "server/services/status_change.hpp"
#include "server/services/stream_subscriber.hpp"
#include "common/error_kind.hpp"
#include "storage/database.hpp"

#include <spdlog/logger.h>
#include <boost/asio/any_io_executor.hpp>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace civicpub::server::services {

enum class StreamError {
  too_many_streams = 1,  // the server's cap (transient: try again later)
  too_many_for_token,    // the token's cap (too_large)
};

const civicpub::KindedCategory& stream_error_category() noexcept;

inline boost::system::error_code make_error_code(StreamError e) noexcept {
  return {static_cast<int>(e), stream_error_category()};
}

// Who opens a stream: the token (for its cap and its revocation) and the account it acts as.
struct StreamOwner {
  std::int64_t token_id = 0;
  std::int64_t account_id = 0;
};

class StreamHub {
 public:
  // Fan-out runs on `executor` (posted: the caller that stored the status does not wait).
  StreamHub(storage::Database& db, const federation::as2::InstanceInfo& instance,
            boost::asio::any_io_executor executor, StreamLimits limits,
            std::shared_ptr<spdlog::logger> log);
  ~StreamHub();
  StreamHub(const StreamHub&) = delete;
  StreamHub& operator=(const StreamHub&) = delete;

  // A new stream for a connection running on `strand`. The stream leaves the hub when the
  // returned handle is dropped. Errors: StreamError.
  Result<std::shared_ptr<StreamSubscriber>> open(StreamOwner owner, StreamWire wire,
                                                 boost::asio::any_io_executor strand,
                                                 std::function<bool()> still_authorized);

  // After a status was stored, edited or deleted (its ActivityPub id). Thread-safe, returns at
  // once.
  void status_changed(StatusChange change, const std::string& ap_id);
  // A sink for PostService and the inbound handlers.
  StatusChangeSink sink();
  // Whether any stream is open (thread-safe): nothing is worth telling the sink otherwise.
  bool listening() const;
  // A notification for `account_id` (the Notification entity as JSON), to its user and
  // user:notification streams. Thread-safe.
  void publish_notification(std::int64_t account_id, const std::string& json);
  // Does any open stream of `account_id` show notifications (user, user:notification)?
  bool shows_notifications_of(std::int64_t account_id) const;
  // Ends every stream of this token now (a revocation in this process).
  void close_token(std::int64_t token_id);

  std::size_t open_count() const;

 private:
  struct Registry;
  static void fan_out_on(Registry& registry, StatusChange change, const std::string& ap_id);

  boost::asio::any_io_executor executor_;
  StreamLimits limits_;
  std::shared_ptr<spdlog::logger> log_;
  std::shared_ptr<Registry> registry_;
};

}  // namespace civicpub::server::services

template <>
struct boost::system::is_error_code_enum<civicpub::server::services::StreamError>
    : std::true_type {};
