// Tells the streaming API of remote statuses (issue 13): wraps the inbound dispatcher and, after
// a Create, Update or Delete was handled, compares the stored post with how it was before. A
// post that appeared is `created`, one that changed (content or `updated`) `edited`, one marked
// deleted `deleted`; a redelivered activity that changed nothing tells nothing. While no stream
// is open (`listening` says false) it only passes the activity on: the two reads per activity
// cost the inbox worker about a tenth of its time in a burst (issue 15).
#pragma once

#include "federation/inbox/activity_dispatcher.hpp"
#include "server/services/status_change.hpp"
#include "storage/database.hpp"

namespace civicpub::server::inbound {

class StatusEventDispatcher final : public federation::ActivityDispatcher {
 public:
  StatusEventDispatcher(federation::ActivityDispatcher& inner, storage::Database& db,
                        services::StatusChangeSink sink, services::StatusListening listening = {})
      : inner_(inner), db_(db), sink_(std::move(sink)), listening_(std::move(listening)) {}

  boost::asio::awaitable<Result<void>> dispatch(
      const federation::InboundActivity& activity) override;

 private:
  federation::ActivityDispatcher& inner_;
  storage::Database& db_;
  services::StatusChangeSink sink_;
  services::StatusListening listening_;
};

}  // namespace civicpub::server::inbound
