// The seam between the inbox queue (federation) and what an activity means to the application
// (server/inbound): the InboxWorker parses each queued item and hands it to the dispatcher that
// the composition root registered. federation never knows which types are handled or how.
#pragma once

#include "federation/as2/envelope.hpp"
#include "common/error_kind.hpp"
#include "storage/records.hpp"

#include <rapidjson/document.h>
#include <boost/asio/awaitable.hpp>

namespace civicpub::federation {

// A verified, queued activity: its inbox row (the original body, who signed it, how it was
// authenticated), the parsed document and its envelope (which points into the document).
struct InboundActivity {
  const storage::InboxItemRecord& item;
  const rapidjson::Value& json;
  const as2::ActivityEnvelope& envelope;
};

class ActivityDispatcher {
 public:
  virtual ~ActivityDispatcher() = default;
  // Handles one activity. A type the application does not handle is a success (the item is
  // done); an error's kind tells the worker whether to try again later (ErrorKind::transient) or
  // give up.
  virtual boost::asio::awaitable<Result<void>> dispatch(const InboundActivity& activity) = 0;
};

}  // namespace civicpub::federation
