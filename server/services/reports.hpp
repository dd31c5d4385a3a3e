// Reports (issue 12, point 5): a Flag received about our accounts and posts is stored for the
// operator (`civicpub report list|show|resolve`); `civicpub report send URL --reason TEXT` sends
// one about remote content to the server it lives on, in Mastodon's shape, from our instance
// actor (as2/flag.hpp), to the reported actor's own inbox as Mastodon does.
#pragma once

#include "common/error_kind.hpp"
#include "federation/as2/instance_info.hpp"
#include "federation/remote/actor_resolver.hpp"
#include "federation/remote/remote_posts.hpp"
#include "storage/database.hpp"
#include "storage/reports.hpp"

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>
#include <vector>

namespace civicpub::server::services {

// A received Flag: who sent it and what it names.
struct ReceivedFlag {
  std::string activity_id;
  std::string actor;                 // the reporting server's (instance) actor
  std::vector<std::string> objects;  // as received
  std::string content;
  storage::Millis received_at = 0;
};

// Stores the report when it names a local account or a local post (the account is then the
// post's author; posts of other servers in the list are left out, as Mastodon does). Returns the
// new report's id; nullopt when it names nothing of ours or is a redelivery (nothing stored).
boost::asio::awaitable<Result<std::optional<std::int64_t>>> record_received_flag(
    storage::Database& db, ReceivedFlag flag);

Result<std::vector<storage::ReportRecord>> list_reports(storage::Database& db, bool all,
                                                        int limit);
// ModerationError::unknown_report.
Result<storage::ReportRecord> get_report(storage::Database& db, std::int64_t id);
Result<void> resolve_report(storage::Database& db, std::int64_t id, storage::Millis now);

struct ReportSender {
  storage::Database& db;
  federation::as2::InstanceInfo instance;
  federation::ActorResolver& resolver;
  federation::RemotePosts& posts;
};

struct ReportRequest {
  std::string url;     // a post (its id or its url) or an actor
  std::string reason;  // the comment, sent as `content`
  storage::Millis now = 0;
};

// Reports the remote post or actor at `request.url` (a post stored here, else fetched; else an
// actor): queues a Flag {actor: our instance actor, object: [author, post], content: reason}
// for the author's inbox and records it as a sent report. ModerationError::nothing_to_report
// for local content or a URL that is neither; the fetchers' errors otherwise. `sender` must
// outlive the call (one struct parameter besides it: GCC 12 and coroutine parameters).
boost::asio::awaitable<Result<storage::ReportRecord>> send_report(ReportSender& sender,
                                                                  ReportRequest request);

}  // namespace civicpub::server::services
