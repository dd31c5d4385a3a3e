#include "federation/remote/ancestor_queue.hpp"

#include "federation/spawn.hpp"

#include <boost/asio/co_spawn.hpp>

namespace civicpub::federation {

AncestorQueue::AncestorQueue(boost::asio::any_io_executor executor, PostFetcher& posts,
                             AncestorQueueSettings settings, std::shared_ptr<spdlog::logger> log)
    : strand_(boost::asio::make_strand(executor)),
      posts_(posts),
      settings_(settings),
      log_(std::move(log)) {}

bool AncestorQueue::enqueue(std::string uri) {
  {
    std::lock_guard lock(mutex_);
    if (known_.contains(uri)) return false;
    if (queue_.size() >= settings_.max_queued) {
      log_->warn("ancestors of {} not fetched: {} walks queued already", uri, queue_.size());
      return false;
    }
    known_.insert(uri);
    queue_.push_back(std::move(uri));
    if (running_ >= settings_.max_running) return true;
    ++running_;
  }
  start_runner();
  return true;
}

std::size_t AncestorQueue::pending() const {
  std::lock_guard lock(mutex_);
  return known_.size();
}

void AncestorQueue::start_runner() {
  boost::asio::co_spawn(strand_, run(), log_escaped_exception(log_, "ancestor fetches"));
}

boost::asio::awaitable<void> AncestorQueue::run() {
  for (;;) {
    std::string uri;
    {
      std::lock_guard lock(mutex_);
      if (queue_.empty()) {
        --running_;
        co_return;
      }
      uri = std::move(queue_.front());
      queue_.pop_front();
    }
    // Stopping at a cap, the budget or a failed fetch is normal; the reply stays stored anyway.
    try {
      auto fetched = co_await posts_.ancestors(uri);
      if (!fetched) {
        log_->info("parents of {} not fetched: {}", uri, fetched.error().message());
      } else {
        log_->debug("{} parent(s) of {} fetched", *fetched, uri);
        if (*fetched > 0 && on_walked_) on_walked_(uri);
      }
    } catch (const std::exception& e) {
      // One broken walk must not stop the runner (its slot would be lost).
      log_->error("fetching the parents of {} failed: {}", uri, e.what());
    }
    std::lock_guard lock(mutex_);
    known_.erase(uri);
  }
}

}  // namespace civicpub::federation
