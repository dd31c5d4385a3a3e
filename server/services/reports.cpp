#include "server/services/reports.hpp"

#include "federation/as2/flag.hpp"
#include "federation/crypto/random.hpp"
#include "federation/delivery/outbox.hpp"
#include "federation/storage_async.hpp"
#include "server/services/moderation.hpp"
#include "storage/actors.hpp"
#include "storage/errors.hpp"
#include "storage/post_lookup.hpp"
#include "storage/posts.hpp"

namespace civicpub::server::services {
namespace {

// The local account a Flag is about, and the local posts it names (Mastodon's flag.rb: the
// target is the first local account named, else the author of the first local post named).
Result<std::optional<storage::ReportRecord>> report_from(storage::Connection& conn,
                                                         const ReceivedFlag& flag,
                                                         storage::Millis now) {
  storage::ReportRecord report;
  report.direction = storage::ReportDirection::received;
  report.activity_uri = flag.activity_id;
  report.reporter_uri = flag.actor;
  report.comment = flag.content;
  report.created_at = now;
  std::string post_author;
  for (const auto& id : flag.objects) {
    auto actor = storage::actors::find_by_uri(conn, id);
    if (!actor) return actor.error();
    if (*actor && (*actor)->local) {
      if (report.account_uri.empty()) report.account_uri = id;
      continue;
    }
    auto post = storage::posts::find_by_ap_id(conn, id);
    if (!post) return post.error();
    if (!*post || !(*post)->local) continue;
    report.object_uris.push_back(id);
    if (post_author.empty()) {
      auto author = storage::actors::find_by_id(conn, (*post)->author_id);
      if (!author) return author.error();
      if (*author) post_author = (*author)->uri;
    }
  }
  if (report.account_uri.empty()) report.account_uri = post_author;
  if (report.account_uri.empty()) return std::optional<storage::ReportRecord>();
  return std::optional<storage::ReportRecord>(std::move(report));
}

// A plain function, not a lambda in the coroutine (GCC 12 destroys its captures twice).
auto received_job(ReceivedFlag flag) {
  return [flag = std::move(flag)](
             storage::Connection& conn) -> Result<std::optional<std::int64_t>> {
    auto report = report_from(conn, flag, flag.received_at);
    if (!report) return report.error();
    if (!*report) return std::optional<std::int64_t>();
    auto id = storage::reports::insert(conn, **report);
    if (!id && id.error() == storage::Errc::conflict) return std::optional<std::int64_t>();
    if (!id) return id.error();
    return std::optional<std::int64_t>(*id);
  };
}

struct Target {
  storage::ActorRecord author;
  std::optional<std::string> post;
};

// A plain function, not a lambda in the coroutine (GCC 12 destroys its captures twice).
auto send_job(storage::ReportRecord report, std::string body, std::string inbox,
              std::string instance_actor) {
  return [report = std::move(report), body = std::move(body), inbox = std::move(inbox),
          instance_actor = std::move(instance_actor)](
             storage::Connection& conn) -> Result<storage::ReportRecord> {
    auto actor = storage::actors::find_by_uri(conn, instance_actor);
    if (!actor) return actor.error();
    if (!*actor) return make_error_code(storage::Errc::not_found);  // `civicpub init` not run
    auto queued = federation::enqueue_activity(conn, report.activity_uri, (*actor)->id, body,
                                               {inbox}, report.created_at);
    if (!queued) return queued.error();
    auto id = storage::reports::insert(conn, report);
    if (!id) return id.error();
    storage::ReportRecord out = report;
    out.id = *id;
    return out;
  };
}

Result<std::optional<storage::PostRecord>> stored_post(storage::Database& db,
                                                       const std::string& url) {
  return db.read([&](storage::Connection& c) -> Result<std::optional<storage::PostRecord>> {
    auto by_id = storage::posts::find_by_ap_id(c, url);
    if (!by_id || *by_id) return by_id;
    return storage::posts::find_by_url(c, url);
  });
}

Result<storage::ActorRecord> author_of(storage::Database& db, std::int64_t author_id) {
  return db.read([&](storage::Connection& c) -> Result<storage::ActorRecord> {
    auto actor = storage::actors::find_by_id(c, author_id);
    if (!actor) return actor.error();
    if (!*actor) return make_error_code(storage::Errc::not_found);
    return std::move(**actor);
  });
}

boost::asio::awaitable<Result<Target>> find_target(ReportSender& sender, const std::string& url) {
  auto stored = stored_post(sender.db, url);
  if (!stored) co_return stored.error();
  std::optional<storage::PostRecord> post = std::move(*stored);
  if (!post) {
    auto fetched = co_await sender.posts.post(url);
    if (fetched) post = std::move(*fetched);
  }
  if (post) {
    auto author = author_of(sender.db, post->author_id);
    if (!author) co_return author.error();
    co_return Target{std::move(*author), post->ap_id};
  }
  auto actor = co_await sender.resolver.resolve(url);
  if (!actor) co_return actor.error();
  co_return Target{std::move(*actor), std::nullopt};
}

}  // namespace

boost::asio::awaitable<Result<std::optional<std::int64_t>>> record_received_flag(
    storage::Database& db, ReceivedFlag flag) {
  auto job = received_job(std::move(flag));
  auto stored = co_await federation::write(db, std::move(job));
  co_return stored;
}

Result<std::vector<storage::ReportRecord>> list_reports(storage::Database& db, bool all,
                                                        int limit) {
  return db.read(
      [&](storage::Connection& conn) { return storage::reports::list(conn, all, limit); });
}

Result<storage::ReportRecord> get_report(storage::Database& db, std::int64_t id) {
  auto found = db.read([&](storage::Connection& conn) { return storage::reports::find(conn, id); });
  if (!found) return found.error();
  if (!*found) return make_error_code(ModerationError::unknown_report);
  return std::move(**found);
}

Result<void> resolve_report(storage::Database& db, std::int64_t id, storage::Millis now) {
  auto done = db.write_sync(
      [&](storage::Connection& conn) { return storage::reports::resolve(conn, id, now); });
  if (!done && done.error() == storage::Errc::not_found) {
    return make_error_code(ModerationError::unknown_report);
  }
  return done;
}

boost::asio::awaitable<Result<storage::ReportRecord>> send_report(ReportSender& sender,
                                                                  ReportRequest request) {
  auto target = co_await find_target(sender, request.url);
  if (!target) co_return target.error();
  if (target->author.local || target->author.inbox.empty()) {
    co_return make_error_code(ModerationError::nothing_to_report);
  }
  storage::ReportRecord report;
  report.direction = storage::ReportDirection::sent;
  report.activity_uri = sender.instance.base_url + "/reports/" +
                        federation::crypto::to_hex(federation::crypto::random_bytes(16));
  report.reporter_uri = sender.instance.instance_actor_id;
  report.account_uri = target->author.uri;
  if (target->post) report.object_uris.push_back(*target->post);
  report.comment = std::move(request.reason);
  report.created_at = request.now;
  std::vector<std::string> objects{report.account_uri};
  objects.insert(objects.end(), report.object_uris.begin(), report.object_uris.end());
  std::string body = federation::as2::flag_json(report.activity_uri, report.reporter_uri,
                                                report.comment, objects);
  auto job = send_job(std::move(report), std::move(body), target->author.inbox,
                      sender.instance.instance_actor_id);
  auto sent = co_await federation::write(sender.db, std::move(job));
  co_return sent;
}

}  // namespace civicpub::server::services
