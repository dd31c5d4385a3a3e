#include "federation/inbox/inbox_worker.hpp"

#include "federation/as2/envelope.hpp"
#include "federation/as2/reader.hpp"
#include "federation/spawn.hpp"
#include "federation/storage_async.hpp"
#include "storage/inbox_items.hpp"

#include "federation/federation_error.hpp"
#include "federation/http/error.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/post.hpp>

#include <exception>

namespace civicpub::federation {
using namespace boost::asio::experimental::awaitable_operators;
namespace {

// Plain functions, not lambdas in the coroutine (GCC 12 destroys their captures twice).
auto done_job(std::int64_t id, storage::Millis now) {
  return [id, now](storage::Connection& c) { return storage::inbox_items::mark_done(c, id, now); };
}
auto failed_job(std::int64_t id, std::string error, storage::Millis now) {
  return [id, error = std::move(error), now](storage::Connection& c) {
    return storage::inbox_items::mark_failed(c, id, error, now);
  };
}
auto retry_job(std::int64_t id, std::string error, storage::Millis at) {
  return [id, error = std::move(error), at](storage::Connection& c) {
    return storage::inbox_items::retry_later(c, id, error, at);
  };
}

}  // namespace

InboxWorker::InboxWorker(boost::asio::any_io_executor executor, storage::Database& db,
                         ActivityDispatcher& dispatcher, Clock clock, InboxWorkerSettings settings,
                         std::shared_ptr<spdlog::logger> log)
    : strand_(boost::asio::make_strand(executor)),
      db_(db),
      log_(std::move(log)),
      dispatcher_(dispatcher),
      clock_(std::move(clock)),
      settings_(settings),
      retry_timer_(strand_) {}

void InboxWorker::notify() {
  boost::asio::post(strand_, [this] { start_on_strand(); });
}

void InboxWorker::start_on_strand() {
  if (running_) {
    again_ = true;  // the running pass picks the new items up
    return;
  }
  running_ = true;
  auto run = [this]() -> boost::asio::awaitable<void> {
    do {
      again_ = false;
      co_await process_pending();
    } while (again_);
  };
  boost::asio::co_spawn(strand_, std::move(run),
                        [this, log = log_escaped_exception(log_, "inbox worker")](
                            std::exception_ptr e) {
                          running_ = false;
                          log(e);
                        });
}

boost::asio::awaitable<Result<void>> InboxWorker::process(const storage::InboxItemRecord& item) {
  if (settings_.blocks) {
    switch (settings_.blocks->check_actor(item.actor_uri)) {
      case Blocked::no: break;
      case Blocked::domain: co_return make_error_code(FederationError::blocked_domain);
      case Blocked::actor: co_return make_error_code(FederationError::actor_suspended);
    }
  }
  auto doc = as2::parse_json(item.body);
  if (!doc) co_return doc.error();
  auto envelope = as2::read_envelope(*doc);
  if (!envelope) co_return envelope.error();
  co_return co_await dispatcher_.dispatch(InboundActivity{item, *doc, *envelope});
}

boost::asio::awaitable<Result<void>> InboxWorker::process_caught(
    const storage::InboxItemRecord& item) {
  std::string failure;
  try {
    co_return co_await process(item);
  } catch (const std::exception& e) {
    failure = e.what();
  }
  log_->error("inbox: processing {} threw: {}", item.activity_id, failure);
  co_return make_error_code(boost::system::errc::state_not_recoverable);
}

boost::asio::awaitable<Result<void>> InboxWorker::process_within_deadline(
    const storage::InboxItemRecord& item) {
  // The executor the caller runs on (the strand, or a test's io_context).
  auto executor = co_await boost::asio::this_coro::executor;
  boost::asio::steady_timer deadline(executor, settings_.item_timeout);
  // Named awaitables, no temporaries in the co_await expression (GCC 12).
  auto processing = process_caught(item);
  auto expiring = deadline.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
  auto raced = co_await (std::move(processing) || std::move(expiring));
  if (raced.index() == 0) co_return std::move(std::get<0>(raced));
  log_->warn("inbox: processing {} from {} took over {} ms; cancelled, to be tried again later",
             item.activity_id, item.actor_uri, settings_.item_timeout.count());
  co_return make_error_code(http::HttpError::timeout);
}

boost::asio::awaitable<Result<void>> InboxWorker::settle(const storage::InboxItemRecord& item,
                                                         const Result<void>& result) {
  const auto now = clock_();
  // co_await in plain statements only (GCC 12, docs/architecture.md).
  if (result) {
    auto done = co_await write(db_, done_job(item.id, now));
    co_return done;
  }
  const auto verdict = delivery::plan(settings_.retry, delivery::classify_error(result.error()),
                                      item.attempts + 1, now, 0.0);
  const std::string reason = result.error().message();
  if (verdict.verdict == delivery::Verdict::retry) {
    log_->info("inbox: processing {} from {} failed (try {}), again in {} s: {}", item.activity_id,
               item.actor_uri, item.attempts + 1, (verdict.next_attempt_at - now) / 1000, reason);
    auto later = co_await write(db_, retry_job(item.id, reason, verdict.next_attempt_at));
    co_return later;
  }
  log_->info("inbox: processing {} from {} failed for good (try {}): {}", item.activity_id,
             item.actor_uri, item.attempts + 1, reason);
  auto failed = co_await write(db_, failed_job(item.id, reason, now));
  co_return failed;
}

boost::asio::awaitable<std::size_t> InboxWorker::process_pending() {
  std::size_t processed = 0;
  for (;;) {
    const auto now = clock_();
    const int limit = settings_.batch_size;
    auto batch = db_.read([now, limit](storage::Connection& c) {
      return storage::inbox_items::next_due(c, now, limit);
    });
    if (!batch) {
      log_->error("inbox worker cannot read the queue: {}", batch.error().message());
      co_return processed;
    }
    if (batch->empty()) break;
    for (const auto& item : *batch) {
      auto result = co_await process_within_deadline(item);
      auto marked = co_await settle(item, result);
      if (!marked) {
        // Without marking, next_due would hand out the same item forever.
        log_->error("inbox worker cannot mark item {}: {}", item.id, marked.error().message());
        co_return processed;
      }
      ++processed;
    }
  }
  schedule_retry();
  co_return processed;
}

void InboxWorker::schedule_retry() {
  const auto now = clock_();
  auto next = db_.read([now](storage::Connection& c) {
    return storage::inbox_items::next_retry_at(c, now);
  });
  if (!next || !*next) return;
  retry_timer_.expires_after(std::chrono::milliseconds(**next - now));
  retry_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) start_on_strand();
  });
}

}  // namespace civicpub::federation
