// Processes queued inbound activities (DESIGN.md "Inbound activity"): on its own strand, in
// batches of pending inbox_items, each parsed and handed to the ActivityDispatcher the
// application registered (server/inbound). A handled item is marked done. A failure goes through
// the retry policy deliveries use (federation/delivery/retry_policy.hpp), by its error kind:
// a transient one (the origin did not answer, a timeout, a busy database) leaves the item
// pending with attempts + 1 until its next try is due; any other kind, or the last try, marks it
// failed with the reason, for the operator. A timer wakes the worker when the next retry is due.
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

#include <memory>

namespace civicpub::federation {

struct InboxWorkerSettings {
  int batch_size = 32;
  // An item queued before its actor's domain was blocked or the actor suspended is not
  // processed (it fails with blocked_domain / actor_suspended). Null: nothing is blocked.
  std::shared_ptr<const BlockList> blocks;
  // One item's processing (its fetches included; a reply's parents are fetched off this path,
  // in the AncestorQueue). Past it the item is cancelled and retried later like a transient
  // failure, so one activity pointing at a silent host holds the queue up for this long at most.
  std::chrono::milliseconds item_timeout{std::chrono::seconds(30)};  // inbox_item_timeout_seconds
  // 8 tries: 30 s, 1, 2, 4, 8, 16 and 32 minutes apart (about an hour in all). No jitter: one
  // worker takes the items one at a time, so retries cannot arrive in a herd.
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

  // Handles one item without marking it (the caller marks done/failed). Exposed so tests can
  // show that processing the same activity twice changes nothing.
  boost::asio::awaitable<Result<void>> process(const storage::InboxItemRecord& item);

 private:
  void start_on_strand();
  // process() within settings_.item_timeout; an exception becomes an internal error.
  boost::asio::awaitable<Result<void>> process_within_deadline(
      const storage::InboxItemRecord& item);
  boost::asio::awaitable<Result<void>> process_caught(const storage::InboxItemRecord& item);
  // Marks `item` after processing: done, retry later, or failed.
  boost::asio::awaitable<Result<void>> settle(const storage::InboxItemRecord& item,
                                              const Result<void>& result);
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
