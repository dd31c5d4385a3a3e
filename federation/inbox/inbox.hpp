// The inbox front door (DESIGN.md "Inbound activity"): verify the HTTP signature, check that the
// signer speaks for the activity's actor, parse with limits, queue the activity in inbox_items
// and answer. Processing happens later in InboxWorker; this part is fast and stores nothing
// unless every check passed.
#pragma once

#include "federation/remote/actor_resolver.hpp"
#include "federation/remote/domain_blocks.hpp"
#include "federation/as2/envelope.hpp"
#include "federation/as2/instance_info.hpp"
#include "federation/clock.hpp"
#include "federation/inbox/inbox_queue.hpp"
#include "federation/signatures/header_list.hpp"
#include "federation/signatures/verify_options.hpp"
#include "storage/database.hpp"

#include <spdlog/logger.h>
#include <boost/asio/awaitable.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace civicpub::federation {

struct InboundRequest {
  std::string method;     // as received, "POST"
  std::string target;     // request-target exactly as received (path[?query])
  std::string scheme;     // "https"; empty: the scheme of instance.base_url
  std::string authority;  // host[:port] this server answers to; empty: instance.host
  signatures::HeaderList headers;
  std::string body;                     // raw bytes as received
  std::string peer;                     // the client address, for logs
  std::optional<std::string> username;  // set for a personal inbox /users/{name}/inbox
};

struct InboxAccepted {
  std::int64_t item_id = 0;  // the inbox_items row; 0 when nothing was queued
  bool duplicate = false;    // the activity id was already received (a redelivery)
  bool dropped = false;      // accepted without queueing (Delete of an actor we never knew)
};

struct InboxSettings {
  // Blocked domains and suspended actors, whose activities are refused with 403 before any key
  // is fetched (the key id's and the activity's actor). Null: nothing is blocked.
  std::shared_ptr<const BlockList> blocks;
  signatures::VerifyOptions verify;
  InboxQueueCaps queue_caps;  // unprocessed items per actor and per host (inbox_queue.hpp)
};

class Inbox {
 public:
  // `wake_worker` (the InboxWorker's notify) runs after an activity was queued, so that what
  // the door accepts is processed at once; empty where no worker runs.
  Inbox(storage::Database& db, ActorResolver& resolver, as2::InstanceInfo instance, Clock clock,
        InboxSettings settings, std::shared_ptr<spdlog::logger> log,
        std::function<void()> wake_worker = {});

  // When the HTTP signer is not the activity's actor (a forwarded activity), the activity is
  // queued with auth 'proof' when it carries a valid FEP-8b32 integrity proof by its actor, else
  // with auth 'unverified' when it is a Create, Update or Delete naming an object id (the handlers
  // refetch the object from its origin instead of believing the copy), else refused with
  // signer_not_actor. Errors and their kinds (the HTTP answer): SignatureError (401),
  // FederationError key_unavailable / signer_not_actor (401), blocked_domain (403), unknown_user
  // (404), as2::DocumentError (400, or 413 for size), storage errors (503/500). `request` must outlive the
  // call.
  boost::asio::awaitable<Result<InboxAccepted>> accept(const InboundRequest& request);

  // Whether an actor (or key id) may deliver here: blocked_domain or actor_suspended if not.
  Result<void> admit(std::string_view actor_or_key_id) const;

 private:
  struct Verified;
  boost::asio::awaitable<Result<Verified>> verify(const InboundRequest& request);
  // Checks the activity's integrity proof: made by the actor's own assertionMethod key
  // (fetched, or refetched once when a cached key fails) and valid over these bytes. The error
  // says why not (as2::ProofError, FederationError).
  boost::asio::awaitable<Result<void>> check_proof(const rapidjson::Value& doc,
                                                   const as2::ActivityEnvelope& activity);
  // Logs a refusal with everything an operator needs; returns `ec` for the caller.
  boost::system::error_code refuse(const InboundRequest& request, std::string_view key_id,
                                   std::string_view activity_id, boost::system::error_code ec,
                                   std::string_view detail = {}) const;

  storage::Database& db_;
  ActorResolver& resolver_;
  as2::InstanceInfo instance_;
  Clock clock_;
  InboxSettings settings_;
  std::shared_ptr<spdlog::logger> log_;
  std::function<void()> wake_worker_;
};

}  // namespace civicpub::federation
