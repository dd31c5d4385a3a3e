// The steps of one delivery that decide and record, apart from the worker's loop and limits
// (delivery_worker.cpp): what can be decided before the network (prepare), how an answer is
// judged, and what is written for it. Internal to the delivery worker.
#pragma once

#include "federation/clock.hpp"
#include "federation/delivery/delivery_worker.hpp"
#include "federation/delivery/host_health.hpp"
#include "federation/delivery/retry_policy.hpp"
#include "federation/http/transport.hpp"
#include "storage/connection.hpp"
#include "storage/database.hpp"
#include "storage/records.hpp"

#include <spdlog/logger.h>

#include <memory>
#include <optional>
#include <string>
#include <variant>

namespace civicpub::federation::delivery::detail {

// What the worker's steps share; made once by DeliveryWorker.
struct WorkerDeps {
  storage::Database& db;
  http::Transport& transport;
  Clock clock;
  RetryPolicy policy;
  WorkerSettings settings;
  RandomUnit random;
  std::shared_ptr<spdlog::logger> log;
  HostHealth health;
};

// What to write for one attempt.
struct Outcome {
  Classification classification;
  Plan plan;
};

// Everything that can be decided before the network: key, host health, the request itself.
// nullopt: the database could not be read; the row stays as it is for the next pass.
std::optional<std::variant<Outcome, http::OutboundRequest>> prepare(
    const WorkerDeps& deps, const storage::DeliveryRecord& row, const std::string& host);

// The answer (or the error) of one attempt, classified and planned (retry_policy.hpp).
Outcome judge(const WorkerDeps& deps, const storage::DeliveryRecord& row,
              const Result<http::OutboundResponse>& response);

// The row's outcome and the host's health, in the caller's write job.
Result<void> write_outcome(storage::Connection& conn, const WorkerDeps& deps,
                           const storage::DeliveryRecord& row, const std::string& host,
                           const Outcome& o, storage::Millis now);

void log_outcome(const WorkerDeps& deps, const storage::DeliveryRecord& row, const Outcome& o);

}  // namespace civicpub::federation::delivery::detail
