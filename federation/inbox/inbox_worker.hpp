// Processes queued inbound activities (DESIGN.md "Inbound activity"): on its own strand, in
// batches of pending inbox_items, each parsed and handed to the ActivityDispatcher the
// application registered (server/inbound). A failure goes through the retry policy deliveries
// use (federation/delivery/retry_policy.hpp), by its error kind: a transient one (the origin did
// not answer, a timeout, a busy database) leaves the item pending with attempts + 1 until its
// next try is due; any other kind, or the last try, marks it failed with the reason, for the
// operator. A timer wakes the worker when the next retry is due.
//
// Group commit (issue 15): the items of a batch are split into lanes; two items sharing a key
// (the actor, the object id, the object's inReplyTo or object) are in one lane, in queue order,
// so a Create and a later Update or Delete of the same object, or a reply after its parent in
// the same batch, apply in order. Up to `parallel` lanes run at once (on the strand, interleaved
// at their co_awaits), so their writes reach the Database writer together and commit in one
// transaction. When every item of the batch has finished (its writes committed: handlers
// co_await them), the whole batch is marked (done, retry later or failed, each item by its own
// result) in ONE write. An item is thus never marked done before its effects are durable; a
// crash (or a failed mark) in between leaves the batch pending and it is processed again, which
// changes nothing (the handlers are idempotent). Each item still has its own item_timeout.
//
// Wiring: the Inbox calls notify() after it queued something, App once at start-up (items left
// over from before a restart). The worker must outlive its io_context's run.
#pragma once

#include "federation/clock.hpp"
#include "federation/delivery/retry_policy.hpp"
#include "federation/inbox/activity_dispatcher.hpp"
#include "federation/remote/domain_blocks.hpp"
#include "storage/database.hpp"
#include "storage/records.hpp"

#include <spdlog/logger.h>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <cstddef>
#include <memory>
#include <optional>
#include <vector>

namespace civicpub::federation {

struct InboxWorkerSettings {
  int batch_size = 32;
  // Lanes of a batch processed at once (see above). More lanes than federation.fetches_per_host
  // can find a host's share of fetches taken by the other lanes (host_busy): such an item is
  // tried again after `host_busy_wait` (doubling up to a second), within its item_timeout,
  // instead of being put back for the retry policy's 30 s. 16: a burst of 20,000 Creates is
  // stored about 15% sooner than with 4 (issue 15, docs/performance.md).
  int parallel = 16;
  std::chrono::milliseconds host_busy_wait{50};
  // An item queued before its actor's domain was blocked or the actor suspended is not
  // processed (it fails with blocked_domain / actor_suspended). Null: nothing is blocked.
  std::shared_ptr<const BlockList> blocks;
  // One item's processing (its fetches included; a reply's parents are fetched off this path,
  // in the AncestorQueue). Past it the item is cancelled and retried later like a transient
  // failure, so one activity pointing at a silent host holds the queue up for this long at most.
  std::chrono::milliseconds item_timeout{std::chrono::seconds(30)};  // inbox_item_timeout_seconds
  // 8 tries: 30 s, 1, 2, 4, 8, 16 and 32 minutes apart (about an hour in all). No jitter: one
  // worker takes at most one batch at a time, so retries cannot arrive in a herd.
  delivery::RetryPolicy retry{8, std::chrono::seconds(30), 2.0, std::chrono::hours(1), 0.0,
                              std::chrono::hours(1)};
};

class InboxWorker {
 public:
  // `dispatcher` (the application's handlers) must outlive the worker.
  InboxWorker(boost::asio::any_io_executor executor, storage::Database& db,
              ActivityDispatcher& dispatcher, Clock clock, InboxWorkerSettings settings,
              std::shared_ptr<spdlog::logger> log);

  // Wakes the worker; safe from any thread. Items queued before the call will be processed.
  void notify();

  // Processes the due pending items until none is left; returns how many were processed (done,
  // failed or put back for a retry). notify() runs this on the strand; tests co_await it.
  boost::asio::awaitable<std::size_t> process_pending();

  // The lanes of a batch (indices into `items`): items sharing an ordering key share a lane, in
  // queue order; lanes in the order of their first item. Public for tests.
  static std::vector<std::vector<std::size_t>> lanes(
      const std::vector<storage::InboxItemRecord>& items);

  // Handles one item without marking it (the caller marks done/failed). Exposed so tests can
  // show that processing the same activity twice changes nothing.
  boost::asio::awaitable<Result<void>> process(const storage::InboxItemRecord& item);

 private:
  void start_on_strand();
  // process() within settings_.item_timeout; an exception becomes an internal error.
  boost::asio::awaitable<Result<void>> process_within_deadline(
      const storage::InboxItemRecord& item);
  boost::asio::awaitable<Result<void>> process_caught(const storage::InboxItemRecord& item);
  // process(), again after a short wait while it fails with host_busy (see parallel above).
  boost::asio::awaitable<Result<void>> process_admitted(const storage::InboxItemRecord& item);
  // One batch being processed: its lanes, taken in turn by the runners, and each item's result.
  struct BatchRun {
    const std::vector<storage::InboxItemRecord>& items;
    std::vector<std::vector<std::size_t>> lanes;
    std::vector<std::optional<Result<void>>> results;
    std::size_t next_lane = 0;
  };
  // Processes the lanes not yet taken, one after another.
  boost::asio::awaitable<void> run_lanes(BatchRun& run);
  // Every item of `items` processed, up to settings_.parallel lanes at once; results by index.
  boost::asio::awaitable<std::vector<Result<void>>> process_batch(
      const std::vector<storage::InboxItemRecord>& items);
  // Marks each item after processing by its result (done, retry later, or failed), all in one
  // write.
  boost::asio::awaitable<Result<void>> settle(const std::vector<storage::InboxItemRecord>& items,
                                              const std::vector<Result<void>>& results);
  // Arms the timer for the earliest item waiting for a retry (on the strand).
  void schedule_retry();

  boost::asio::strand<boost::asio::any_io_executor> strand_;
  storage::Database& db_;
  std::shared_ptr<spdlog::logger> log_;
  ActivityDispatcher& dispatcher_;
  Clock clock_;
  InboxWorkerSettings settings_;
  boost::asio::steady_timer retry_timer_;
  // Touched only on strand_.
  bool running_ = false;
  bool again_ = false;
};

}  // namespace civicpub::federation
