// Processes queued inbound activities (DESIGN.md "Inbound activity"): on its own strand, in
// batches of pending inbox_items, dispatched by type to the on_<type> handlers. A handled item is
// marked done, a failing one failed (with the reason, for the operator); unknown types are done.
// After a Create, Update or Delete was handled, the thread authority step (thread_authority.hpp)
// forwards it to the audience of a thread owned here, or passes it on to the owner of the thread.
//
// Wiring: notify() after Inbox::accept queued something and once at start-up (items left over
// from before a restart). The worker must outlive its io_context's run.
#pragma once

#include "federation/actor_resolver.hpp"
#include "federation/clock.hpp"
#include "federation/inbox/activity_handlers.hpp"
#include "federation/remote_posts.hpp"
#include "storage/database.hpp"
#include "storage/records.hpp"

#include <spdlog/logger.h>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/strand.hpp>

#include <functional>
#include <memory>

namespace civicpub::federation {

struct InboxWorkerSettings {
  int batch_size = 32;
};

class InboxWorker {
 public:
  // `on_enqueued` is called after deliveries were queued (the delivery worker's notify).
  // `posts` stores the remote posts that Create, Update and Delete bring.
  InboxWorker(boost::asio::any_io_executor executor, storage::Database& db, ActorResolver& resolver,
              RemotePosts& posts, Clock clock, InboxWorkerSettings settings,
              std::shared_ptr<spdlog::logger> log, std::function<void()> on_enqueued);

  // Wakes the worker; safe from any thread. Items queued before the call will be processed.
  void notify();

  // Processes pending items until none is left; returns how many were processed. notify() runs
  // this on the strand; tests co_await it directly.
  boost::asio::awaitable<std::size_t> process_pending();

  // Handles one item without marking it (the caller marks done/failed). Exposed so tests can
  // show that processing the same activity twice changes nothing.
  boost::asio::awaitable<Result<void>> process(const storage::InboxItemRecord& item);

 private:
  void start_on_strand();

  boost::asio::strand<boost::asio::any_io_executor> strand_;
  storage::Database& db_;
  std::shared_ptr<spdlog::logger> log_;
  inbox::ActivityContext context_;
  InboxWorkerSettings settings_;
  // Touched only on strand_.
  bool running_ = false;
  bool again_ = false;
};

}  // namespace civicpub::federation
