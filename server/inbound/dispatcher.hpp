// What an inbound activity means to civicpub: the handlers (one file per type, on_<type>.cpp)
// and, after a Create, Update or Delete of a post, the thread owner's step (thread_authority.hpp).
// The composition root registers one Dispatcher with the federation::InboxWorker.
#pragma once

#include "federation/inbox/activity_dispatcher.hpp"
#include "server/inbound/activity_handlers.hpp"

namespace civicpub::server::inbound {

class Dispatcher final : public federation::ActivityDispatcher {
 public:
  explicit Dispatcher(ActivityContext context) : context_(std::move(context)) {}

  // Unhandled types are ignored (success). A handler's failure is returned as it is; a failure
  // to forward a handled activity is logged and does not fail it.
  boost::asio::awaitable<Result<void>> dispatch(
      const federation::InboundActivity& activity) override;

  ActivityContext& context() { return context_; }

 private:
  ActivityContext context_;
};

}  // namespace civicpub::server::inbound
