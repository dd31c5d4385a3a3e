// What an inbound activity means to civicpub: the handlers (one file per type, on_<type>.cpp)
// and, after a Create, Update or Delete of a post, the thread owner's step (thread_authority.hpp).
// The composition root registers one Dispatcher with the federation::InboxWorker.
#pragma once

#include "federation/inbox/activity_dispatcher.hpp"
#include "server/inbound/activity_handlers.hpp"

#include <map>
#include <mutex>
#include <string>

namespace civicpub::server::inbound {

class Dispatcher final : public federation::ActivityDispatcher {
 public:
  explicit Dispatcher(ActivityContext context) : context_(std::move(context)) {}

  // Unhandled types are ignored (success). A handler's failure is returned as it is; a failure
  // to forward a handled activity is logged and does not fail it.
  boost::asio::awaitable<Result<void>> dispatch(
      const federation::InboundActivity& activity) override;

  ActivityContext& context() { return context_; }

  // The thread step again, for the activity that brought the post `uri`, after the ancestor
  // queue fetched the post's missing parents (App wires AncestorQueue::on_walked here). A reply
  // that arrives before its parent (a forward racing the parent's own delivery) cannot be placed
  // in a thread at first; once its parents are stored it may turn out to be in one of our
  // threads, and is forwarded then. Nothing is done for a post no activity waits on.
  boost::asio::awaitable<void> reconsider(std::string uri);

  // Posts whose activity waits for its parents (tests).
  std::size_t awaiting() const;

 private:
  // At most this many posts are remembered; more are not (their threads' backfill completes
  // them instead).
  static constexpr std::size_t kAwaitingLimit = 1000;
  void remember(const std::string& uri, std::int64_t item_id);

  ActivityContext context_;
  mutable std::mutex mutex_;
  std::map<std::string, std::int64_t> awaiting_;  // post uri -> inbox item id
};

}  // namespace civicpub::server::inbound
