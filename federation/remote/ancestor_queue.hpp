// A reply's missing parents, fetched off the inbox worker's critical path (docs/security.md
// "Inbox and delivery queues"): the worker stores the reply and queues the walk here, so an
// activity whose parents sit on a slow or silent host does not hold up the activities after it.
// At most `max_running` walks run at once and `max_queued` wait; a walk queued while the queue
// is full is dropped (logged): the reply stays stored, and the thread's backfill or the next reply
// fills the gap. Each walk keeps to the thread's and the host's fetch budgets and to the fetch
// guard's per-host limits (RemotePosts::ancestors).
#pragma once

#include "federation/remote/post_fetcher.hpp"

#include <spdlog/logger.h>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/strand.hpp>

#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>

namespace civicpub::federation {

struct AncestorQueueSettings {
  std::size_t max_running = 2;
  std::size_t max_queued = 1000;
};

class AncestorQueue {
 public:
  // `posts` must outlive the queue; the queue must outlive its io_context's run.
  AncestorQueue(boost::asio::any_io_executor executor, PostFetcher& posts,
                AncestorQueueSettings settings, std::shared_ptr<spdlog::logger> log);

  // Queues the walk up from the stored post `uri`; safe from any thread. False when the same
  // walk is queued or running already, or the queue is full.
  bool enqueue(std::string uri);

  // Walks queued or running (tests wait for 0).
  std::size_t pending() const;

  // Called (on the queue's strand) after a walk from `uri` fetched at least one parent: the
  // reply's thread may be known only now (the inbound Dispatcher takes its thread step again).
  // Set before the first enqueue.
  void on_walked(std::function<void(const std::string& uri)> then) { on_walked_ = std::move(then); }

 private:
  boost::asio::awaitable<void> run();
  void start_runner();

  boost::asio::strand<boost::asio::any_io_executor> strand_;
  PostFetcher& posts_;
  AncestorQueueSettings settings_;
  std::shared_ptr<spdlog::logger> log_;
  mutable std::mutex mutex_;
  std::deque<std::string> queue_;
  std::set<std::string> known_;  // queued or running
  std::size_t running_ = 0;
  std::function<void(const std::string&)> on_walked_;
};

}  // namespace civicpub::federation
