// Processes queued inbound activities (DESIGN.md "Inbound activity"): on its own strand, in
// batches of pending inbox_items, each parsed and handed to the ActivityDispatcher the
// application registered (server/inbound). A failure goes through the retry policy deliveries
// use (federation/delivery/retry_policy.hpp), by its error kind: a transient one (the origin did
// not answer, a timeout, a busy database) leaves the item pending with attempts + 1 until its
// next try is due; any other kind, or the last try, marks it failed with the reason, for the
// operator. A timer wakes the worker when the next retry is due.
//
// Group commit (issue 15): items flow through the worker without batch boundaries. It fetches
// due items in id order (up to `batch_size` waiting at once) and starts up to `parallel` of them
// at once (on the strand, interleaved at their co_awaits), so their writes reach the Database
// writer together and commit in one transaction. Two items sharing an ordering key (the actor,
// the object id, the object's inReplyTo or object) never run at the same time and start in
// queue order, so a Create and a later Update or Delete of the same object, or a reply after its
// parent, apply in order. Each finished item gets its mark (done, retry later or failed, by its
// own result); the marks are written `batch_size` at a time in ONE write, queued after the
// items' own writes committed (handlers co_await them). An item is thus never marked done before
// its effects are durable; a crash (or a failed mark) in between leaves it pending and it is
// processed again, which changes nothing (the handlers are idempotent). Each item still has its
// own item_timeout. One slow item holds up only the items sharing a key with it.
//
// A pass walks the queue past a cursor (the highest id fetched); when it has nothing left to
// start or finish, the next pass starts from the front again for items whose retry fell due.
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
#include <string>
#include <vector>

namespace civicpub::federation {

namespace inbox_flow {
struct Flow;
struct Waiting;
struct ItemMark;
}  // namespace inbox_flow

struct InboxWorkerSettings {
  // Items fetched and waiting at most, and marks per write. With `parallel` running, at most
  // batch_size + parallel bodies are in memory at once.
  int batch_size = 32;
  // Items processed at once (see above). More than federation.fetches_per_host can find a
  // host's share of fetches taken by the other items in flight (host_busy): such an item is
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
  // worker runs at most `parallel` items at a time, so retries cannot arrive in a herd.
  delivery::RetryPolicy retry{8, std::chrono::seconds(30), 2.0, std::chrono::hours(1), 0.0,
                              std::chrono::hours(1)};
  // Neither notify() nor a retry starts a pass: items are queued and wait (process_pending()
  // still runs one when called). For the benchmark only, which times accepting an inbox burst
  // apart from processing it (CIVICPUB_BENCH_PAUSE_INBOX_WORKER, docs/performance.md).
  bool paused = false;
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

  // What an item's processing may touch that another item's may touch too: its actor, its
  // object, the object's parent (a reply after its parent) and the object's object (Undo of a
  // Like); sorted, without duplicates. Public for tests.
  static std::vector<std::string> ordering_keys(const storage::InboxItemRecord& item);

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
  // One pass over the queue (see above); the number of items finished, nullopt when the queue
  // could not be read or marked.
  boost::asio::awaitable<std::optional<std::size_t>> run_pass();
  // Starts the waiting items that may start, while fewer than settings_.parallel run.
  void start_eligible(inbox_flow::Flow& flow);
  // One started item: processed, its keys released, its mark queued.
  boost::asio::awaitable<void> run_item(inbox_flow::Flow& flow, inbox_flow::Waiting waiting);
  // How an item is to be marked after processing, by its result: done, retry later or failed.
  inbox_flow::ItemMark mark_for(const storage::InboxItemRecord& item,
                                const Result<void>& result) const;
  // Writes the marks gathered so far, in one write, without waiting for it.
  void flush_marks(inbox_flow::Flow& flow);
  boost::asio::awaitable<void> write_marks(inbox_flow::Flow& flow,
                                           std::vector<inbox_flow::ItemMark> marks);
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
  bool again_ = false;  // items were queued while a pass ran (the pass looks for them)
};

}  // namespace civicpub::federation
