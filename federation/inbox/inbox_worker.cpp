#include "federation/inbox/inbox_worker.hpp"

#include "federation/as2/envelope.hpp"
#include "federation/as2/reader.hpp"
#include "federation/spawn.hpp"
#include "federation/storage_async.hpp"
#include "storage/inbox_items.hpp"

#include "federation/federation_error.hpp"
#include "federation/http/error.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/post.hpp>

#include <algorithm>
#include <exception>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace civicpub::federation {
using namespace boost::asio::experimental::awaitable_operators;
namespace {

// How one processed item is to be marked.
struct ItemMark {
  enum class Kind { done, retry, failed };
  std::int64_t id = 0;
  Kind kind = Kind::done;
  std::string error;
  storage::Millis at = 0;  // processed_at, or the next attempt for a retry
};

std::string what(const std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    return ex.what();
  } catch (...) {
    return "unknown exception";
  }
}

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
    if (!r) return r;  // the whole job rolls back to its savepoint: nothing of the batch is marked
  }
  return Result<void>{};
}
auto marks_job(std::vector<ItemMark> marks) {
  return [marks = std::move(marks)](storage::Connection& c) { return apply_marks(c, marks); };
}

// What an item's processing may touch that a later item's may touch too: its actor, its object,
// the object's parent (a reply after its parent) and the object's object (Undo of a Like).
std::vector<std::string> ordering_keys(const storage::InboxItemRecord& item) {
  std::vector<std::string> keys{item.actor_uri};
  auto doc = as2::parse_json(item.body);
  if (!doc) return keys;
  auto envelope = as2::read_envelope(*doc);
  if (!envelope) return keys;
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
  return keys;
}

}  // namespace

std::vector<std::vector<std::size_t>> InboxWorker::lanes(
    const std::vector<storage::InboxItemRecord>& items) {
  // Union-find over the items: two items sharing a key end up in one lane.
  std::vector<std::size_t> parent(items.size());
  for (std::size_t i = 0; i < parent.size(); ++i) parent[i] = i;
  auto root = [&parent](std::size_t i) {
    while (parent[i] != i) i = parent[i] = parent[parent[i]];
    return i;
  };
  std::unordered_map<std::string, std::size_t> first_with;
  for (std::size_t i = 0; i < items.size(); ++i) {
    for (auto& key : ordering_keys(items[i])) {
      if (key.empty()) continue;
      auto [it, inserted] = first_with.emplace(std::move(key), i);
      if (!inserted) {
        const auto a = root(i);
        const auto b = root(it->second);
        parent[std::max(a, b)] = std::min(a, b);
      }
    }
  }
  // Lanes in the order of their first item, each in queue order.
  std::vector<std::vector<std::size_t>> result;
  std::unordered_map<std::size_t, std::size_t> lane_of_root;
  for (std::size_t i = 0; i < items.size(); ++i) {
    auto [it, inserted] = lane_of_root.emplace(root(i), result.size());
    if (inserted) result.emplace_back();
    result[it->second].push_back(i);
  }
  return result;
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
    // Another lane is fetching from the same host; the handlers are idempotent, so the item
    // simply runs again. The item's deadline (process_within_deadline) cancels this wait.
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

boost::asio::awaitable<void> InboxWorker::run_lanes(BatchRun& run) {
  // The runners share `run` on one executor: taking the next lane needs no lock.
  while (run.next_lane < run.lanes.size()) {
    const auto& lane = run.lanes[run.next_lane++];
    for (const auto index : lane) {
      auto result = co_await process_within_deadline(run.items[index]);
      run.results[index] = std::move(result);
    }
  }
}

boost::asio::awaitable<std::vector<Result<void>>> InboxWorker::process_batch(
    const std::vector<storage::InboxItemRecord>& items) {
  BatchRun run{items, lanes(items), {}, 0};
  run.results.resize(items.size());
  const auto executor = co_await boost::asio::this_coro::executor;
  const auto runners =
      std::min<std::size_t>(static_cast<std::size_t>(std::max(1, settings_.parallel)),
                            run.lanes.size());
  using Runner = decltype(boost::asio::co_spawn(executor, run_lanes(run), boost::asio::deferred));
  std::vector<Runner> spawned;
  for (std::size_t i = 0; i < runners; ++i) {
    auto runner = boost::asio::co_spawn(executor, run_lanes(run), boost::asio::deferred);
    spawned.push_back(std::move(runner));
  }
  auto group = boost::asio::experimental::make_parallel_group(std::move(spawned));
  auto waited = co_await group.async_wait(boost::asio::experimental::wait_for_all(),
                                          boost::asio::use_awaitable);
  for (const auto& e : std::get<1>(waited)) {
    if (e) log_->error("inbox worker: a lane threw: {}", what(e));
  }
  std::vector<Result<void>> results;
  results.reserve(items.size());
  for (auto& r : run.results) {
    // A lane that threw left the rest of its items without a result.
    results.push_back(r ? std::move(*r)
                        : Result<void>(make_error_code(boost::system::errc::state_not_recoverable)));
  }
  co_return results;
}

boost::asio::awaitable<Result<void>> InboxWorker::settle(
    const std::vector<storage::InboxItemRecord>& items, const std::vector<Result<void>>& results) {
  const auto now = clock_();
  std::vector<ItemMark> marks;
  marks.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto& item = items[i];
    const auto& result = results[i];
    if (result) {
      marks.push_back(ItemMark{item.id, ItemMark::Kind::done, {}, now});
      continue;
    }
    const auto verdict = delivery::plan(settings_.retry, delivery::classify_error(result.error()),
                                        item.attempts + 1, now, 0.0);
    std::string reason = result.error().message();
    if (verdict.verdict == delivery::Verdict::retry) {
      log_->info("inbox: processing {} from {} failed (try {}), again in {} s: {}",
                 item.activity_id, item.actor_uri, item.attempts + 1,
                 (verdict.next_attempt_at - now) / 1000, reason);
      marks.push_back(
          ItemMark{item.id, ItemMark::Kind::retry, std::move(reason), verdict.next_attempt_at});
      continue;
    }
    log_->info("inbox: processing {} from {} failed for good (try {}): {}", item.activity_id,
               item.actor_uri, item.attempts + 1, reason);
    marks.push_back(ItemMark{item.id, ItemMark::Kind::failed, std::move(reason), now});
  }
  // One write for the whole batch, queued after every effect of the batch committed.
  // co_await in plain statements only (GCC 12, docs/architecture.md).
  auto marked = co_await write(db_, marks_job(std::move(marks)));
  co_return marked;
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
    auto results = co_await process_batch(*batch);
    auto marked = co_await settle(*batch, results);
    if (!marked) {
      // Without marking, next_due would hand out the same items forever. Their effects are
      // committed; processing them again changes nothing (the handlers are idempotent).
      log_->error("inbox worker cannot mark {} items: {}", batch->size(),
                  marked.error().message());
      co_return processed;
    }
    processed += batch->size();
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
