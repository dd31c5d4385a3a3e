// The one place that turns the config file into the settings structs the layers below take in
// their constructors (federation and storage never read the config). server/app/assembly.hpp
// and App build everything from these.
#pragma once

#include "federation/as2/instance_info.hpp"
#include "federation/delivery/delivery_worker.hpp"
#include "federation/delivery/retry_policy.hpp"
#include "federation/http/fetch_guard.hpp"
#include "federation/http/http_client.hpp"
#include "federation/remote/actor_resolver.hpp"
#include "federation/remote/remote_posts.hpp"
#include "server/http/server.hpp"
#include "federation/inbox/inbox.hpp"
#include "federation/inbox/inbox_worker.hpp"
#include "federation/inbox/queue_purge.hpp"
#include "server/services/accounts.hpp"
#include "server/services/backfill_schedule.hpp"
#include "server/services/consultation_schedule.hpp"
#include "storage/database.hpp"

#include <memory>
#include <vector>
#include "server/config/config.hpp"

namespace civicpub::server {

federation::as2::InstanceInfo instance_info(const Config& config);

// Throws std::runtime_error naming the key when a CIDR does not parse (the config loader has
// validated them already, so this is a start-up bug guard).
federation::http::ClientSettings client_settings(const Config& config);

// Deadline, per-host cap, backoff and failure memory of every remote fetch (not deliveries).
federation::http::FetchGuardSettings fetch_guard_settings(const Config& config);

federation::delivery::RetryPolicy retry_policy(const Config& config);

// Deliveries to an inbox `blocks` covers are given up without a request.
federation::delivery::WorkerSettings delivery_settings(
    const Config& config, std::shared_ptr<const federation::BlockList> blocks);

// federation.blocked_domains as rules (each domain with its subdomains), for the BlockList.
std::vector<federation::DomainRule> configured_domain_rules(const Config& config);

// Thread depth cap and fetch budget for replies' parents.
federation::RemotePostsSettings remote_posts_settings(
    const Config& config, std::shared_ptr<const federation::BlockList> blocks);

// Blocked domains and suspended actors for the inbox door, and its queue caps.
federation::InboxSettings inbox_settings(const Config& config,
                                         std::shared_ptr<const federation::BlockList> blocks);

// How often a transiently failing inbox item is tried again.
federation::InboxWorkerSettings inbox_worker_settings(const Config& config);

// How long processed inbox items and finished deliveries are kept.
federation::QueuePurgeSettings queue_purge_settings(const Config& config);

// When remote threads are completed by the server itself.
services::BackfillScheduleSettings backfill_schedule_settings(const Config& config);
services::ConsultationScheduleSettings consultation_schedule_settings(const Config& config);

// How long a fetched actor is trusted and how often a failing key may force a refetch.
federation::ActorResolverSettings resolver_settings(
    const Config& config, std::shared_ptr<const federation::BlockList> blocks);

// Database options from the config (the writer plus storage.read_connections readers). Database
// failure detail goes to the log.
storage::DatabaseOptions database_options(const Config& config);

// Opens (creating the file and its directory when missing) and migrates the database. Throws
// std::runtime_error with a one-line reason: a start-up failure.
std::unique_ptr<storage::Database> open_database(const Config& config);

// What account creation needs to know of the instance.
server::services::AccountSettings account_settings(const Config& config);

// The HTTP server's settings from the config. Resolves a host name in http.listen (start-up).
http::ServerSettings server_settings(const Config& config);


}  // namespace civicpub::server
