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
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <deque>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace civicpub::federation {
using namespace boost::asio::experimental::awaitable_operators;

namespace inbox_flow {

// How one processed item is to be marked.
struct ItemMark {
  enum class Kind { done, retry, failed };
  std::int64_t id = 0;
  Kind kind = Kind::done;
  std::string error;
  storage::Millis at = 0;  // processed_at, or the next attempt for a retry
};

// A fetched item not started yet, with its ordering keys.
struct Waiting {
  storage::InboxItemRecord item;
  std::vector<std::string> keys;
};

// One pass over the queue (see the header), touched only on the pass's executor.
struct Flow {
  explicit Flow(const boost::asio::any_io_executor& executor)
      : wake(executor, boost::asio::steady_timer::time_point::max()) {}
  std::deque<Waiting> ready;                     // fetched, in id order, not started
  std::unordered_map<std::string, int> running;  // keys of the started, unfinished items
  std::size_t in_flight = 0;                     // started, unfinished items
  std::vector<ItemMark> marks;                   // finished items, not yet written
  std::size_t flushing = 0;                      // mark writes under way
  std::size_t finished = 0;                      // items marked or to be marked
  bool failed = false;                           // a mark write failed: start nothing more
  boost::asio::steady_timer wake;                // cancelled when an item or a write finishes
};

}  // namespace inbox_flow

namespace {

using inbox_flow::ItemMark;

// Plain functions, not lambdas in the coroutine (GCC 12 destroys their captures twice).
Result<void> apply_marks(storage::Connection& c, const std::vector<ItemMark>& marks) {
  for (const auto& m : marks) {
    Result<void> r;
    switch (m.kind) {
      case ItemMark::Kind::done: r = storage::inbox_items::mark_done(c, m.id, m.at); break;
      case ItemMark::Kind::retry:
        r = storage::inbox_items::retry_later(c, m.id, m.error, m.at);
        break;
      case ItemMark::Kind::failed: r = storage::inbox_items::mark_failed(c, m.id, m.error, m.at); break;
    }
    if (!r) return r;  // the whole job rolls back to its savepoint: none of these is marked
  }
  return Result<void>{};
}
auto marks_job(std::vector<ItemMark> marks) {
  return [marks = std::move(marks)](storage::Connection& c) { return apply_marks(c, marks); };
}

}  // namespace

std::vector<std::string> InboxWorker::ordering_keys(const storage::InboxItemRecord& item) {
  std::vector<std::string> keys{item.actor_uri};
  auto doc = as2::parse_json(item.body);
  if (doc) {
    if (auto envelope = as2::read_envelope(*doc)) {
      keys.push_back(envelope->actor);
      if (envelope->object_id) keys.push_back(*envelope->object_id);
      if (envelope->object) {
        for (const char* field : {"inReplyTo", "object"}) {
          auto it = envelope->object->FindMember(field);
          if (it != envelope->object->MemberEnd() && it->value.IsString()) {
            keys.emplace_back(it->value.GetString(), it->value.GetStringLength());
          }
        }
      }
    }
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  if (!keys.empty() && keys.front().empty()) keys.erase(keys.begin());
  return keys;
}

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
  if (settings_.paused) return;
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
    co_return co_await process_admitted(item);
  } catch (const std::exception& e) {
    failure = e.what();
  }
  log_->error("inbox: processing {} threw: {}", item.activity_id, failure);
  co_return make_error_code(boost::system::errc::state_not_recoverable);
}

boost::asio::awaitable<Result<void>> InboxWorker::process_admitted(
    const storage::InboxItemRecord& item) {
  constexpr std::chrono::milliseconds kLongestWait{1000};
  const auto executor = co_await boost::asio::this_coro::executor;
  auto wait = settings_.host_busy_wait;
  for (;;) {
    auto result = co_await process(item);
    if (result || result.error() != http::HttpError::host_busy) co_return result;
    // Another item in flight is fetching from the same host; the handlers are idempotent, so
    // the item simply runs again. The item's deadline (process_within_deadline) cancels this
    // wait.
    boost::asio::steady_timer timer(executor, wait);
    // Named awaitable, no temporary in the co_await expression (GCC 12).
    auto waiting = timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
    auto waited = co_await std::move(waiting);
    if (std::get<0>(waited)) co_return result;
    wait = std::min(wait * 2, kLongestWait);
  }
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

void InboxWorker::start_eligible(inbox_flow::Flow& flow) {
  const auto parallel = static_cast<std::size_t>(std::max(1, settings_.parallel));
  if (flow.failed || flow.in_flight >= parallel || flow.ready.empty()) return;
  // An item may start when none of its keys belongs to an unfinished item or to an earlier
  // item still waiting: items sharing a key run one after another, in queue order.
  std::vector<std::size_t> chosen;
  std::unordered_set<std::string_view> passed;  // keys of the items scanned so far
  for (std::size_t i = 0; i < flow.ready.size() && flow.in_flight + chosen.size() < parallel; ++i) {
    const auto& keys = flow.ready[i].keys;
    const bool free = std::none_of(keys.begin(), keys.end(), [&](const std::string& key) {
      return flow.running.count(key) != 0 || passed.count(key) != 0;
    });
    passed.insert(keys.begin(), keys.end());
    if (free) chosen.push_back(i);
  }
  if (chosen.empty()) return;
  std::vector<inbox_flow::Waiting> starting;
  starting.reserve(chosen.size());
  std::deque<inbox_flow::Waiting> rest;
  std::size_t next = 0;
  for (std::size_t i = 0; i < flow.ready.size(); ++i) {
    if (next < chosen.size() && chosen[next] == i) {
      starting.push_back(std::move(flow.ready[i]));
      ++next;
    } else {
      rest.push_back(std::move(flow.ready[i]));
    }
  }
  flow.ready = std::move(rest);
  for (auto& waiting : starting) {
    for (const auto& key : waiting.keys) ++flow.running[key];
    ++flow.in_flight;
    boost::asio::co_spawn(flow.wake.get_executor(), run_item(flow, std::move(waiting)),
                          log_escaped_exception(log_, "inbox worker: an item"));
  }
}

boost::asio::awaitable<void> InboxWorker::run_item(inbox_flow::Flow& flow,
                                                   inbox_flow::Waiting waiting) {
  Result<void> result = make_error_code(boost::system::errc::state_not_recoverable);
  try {
    result = co_await process_within_deadline(waiting.item);
  } catch (const std::exception& e) {
    log_->error("inbox: processing {} threw: {}", waiting.item.activity_id, e.what());
  }
  // Released first, with nothing that can throw: the pass waits for in_flight to reach 0.
  for (const auto& key : waiting.keys) {
    auto it = flow.running.find(key);
    if (it != flow.running.end() && --it->second == 0) flow.running.erase(it);
  }
  --flow.in_flight;
  ++flow.finished;
  flow.wake.cancel();
  flow.marks.push_back(mark_for(waiting.item, result));
}

inbox_flow::ItemMark InboxWorker::mark_for(const storage::InboxItemRecord& item,
                                           const Result<void>& result) const {
  const auto now = clock_();
  if (result) return ItemMark{item.id, ItemMark::Kind::done, {}, now};
  const auto verdict = delivery::plan(settings_.retry, delivery::classify_error(result.error()),
                                      item.attempts + 1, now, 0.0);
  std::string reason = result.error().message();
  if (verdict.verdict == delivery::Verdict::retry) {
    log_->info("inbox: processing {} from {} failed (try {}), again in {} s: {}", item.activity_id,
               item.actor_uri, item.attempts + 1, (verdict.next_attempt_at - now) / 1000, reason);
    return ItemMark{item.id, ItemMark::Kind::retry, std::move(reason), verdict.next_attempt_at};
  }
  log_->info("inbox: processing {} from {} failed for good (try {}): {}", item.activity_id,
             item.actor_uri, item.attempts + 1, reason);
  return ItemMark{item.id, ItemMark::Kind::failed, std::move(reason), now};
}

void InboxWorker::flush_marks(inbox_flow::Flow& flow) {
  if (flow.marks.empty()) return;
  ++flow.flushing;
  std::vector<ItemMark> marks;
  marks.swap(flow.marks);
  boost::asio::co_spawn(flow.wake.get_executor(), write_marks(flow, std::move(marks)),
                        log_escaped_exception(log_, "inbox worker: marks"));
}

boost::asio::awaitable<void> InboxWorker::write_marks(inbox_flow::Flow& flow,
                                                      std::vector<inbox_flow::ItemMark> marks) {
  const auto count = marks.size();
  // One write for many items, queued after each one's effects committed (its handlers awaited
  // their writes). co_await in plain statements only (GCC 12, docs/architecture.md).
  auto marked = co_await write(db_, marks_job(std::move(marks)));
  if (!marked) {
    // Without marking, next_due would hand out the same items forever. Their effects are
    // committed; processing them again changes nothing (the handlers are idempotent).
    log_->error("inbox worker cannot mark {} items: {}", count, marked.error().message());
    flow.failed = true;
  }
  --flow.flushing;
  flow.wake.cancel();
}

boost::asio::awaitable<std::optional<std::size_t>> InboxWorker::run_pass() {
  const auto executor = co_await boost::asio::this_coro::executor;
  inbox_flow::Flow flow(executor);
  const auto batch = static_cast<std::size_t>(std::max(1, settings_.batch_size));
  const auto parallel = static_cast<std::size_t>(std::max(1, settings_.parallel));
  // Fetch when fewer than this many items wait (and `batch` at most then): at most `batch`
  // waiting and `parallel` running items are held at once.
  const auto refill_below = std::min(batch, parallel);
  std::int64_t cursor = 0;  // the highest id fetched in this pass
  bool exhausted = false;   // nothing more after the cursor, as of the last fetch
  for (;;) {
    if (again_) {
      again_ = false;  // items were queued since: look past the cursor again
      exhausted = false;
    }
    for (;;) {
      start_eligible(flow);
      if (exhausted || flow.failed || flow.ready.size() >= refill_below) break;
      const auto now = clock_();
      const int limit = static_cast<int>(batch - flow.ready.size());
      auto fetched = db_.read([now, cursor, limit](storage::Connection& c) {
        return storage::inbox_items::next_due(c, now, cursor, limit);
      });
      if (!fetched) {
        log_->error("inbox worker cannot read the queue: {}", fetched.error().message());
        flow.failed = true;
      } else if (fetched->empty()) {
        exhausted = true;
      } else {
        for (auto& item : *fetched) {
          cursor = item.id;
          auto keys = ordering_keys(item);
          flow.ready.push_back(inbox_flow::Waiting{std::move(item), std::move(keys)});
        }
      }
    }
    if (flow.marks.size() >= batch || (flow.in_flight == 0 && !flow.marks.empty())) {
      flush_marks(flow);
    }
    // Nothing running and nothing being written means nothing is left to start: the first
    // waiting item always may start when nothing runs, so the queue is exhausted (or failed).
    if (flow.in_flight == 0 && flow.flushing == 0) break;
    flow.wake.expires_at(boost::asio::steady_timer::time_point::max());
    // Named awaitable, no temporary in the co_await expression (GCC 12).
    auto waiting = flow.wake.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
    co_await std::move(waiting);
  }
  if (flow.failed) co_return std::nullopt;
  co_return flow.finished;
}

boost::asio::awaitable<std::size_t> InboxWorker::process_pending() {
  std::size_t processed = 0;
  for (;;) {
    // Another pass from the start of the queue: items whose retry fell due meanwhile.
    auto pass = co_await run_pass();
    if (!pass) co_return processed;
    processed += *pass;
    if (*pass == 0) break;
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
