// What the read endpoints (discovery, actors, collections, posts) need. Built once by the
// composition root; the referenced objects must outlive the Router the routes are added to.
#pragma once

#include "federation/as2/instance_info.hpp"
#include "federation/clock.hpp"
#include "storage/database.hpp"

#include <spdlog/logger.h>

#include <functional>
#include <memory>
#include <string>

namespace civicpub::server::routes {

struct ReadDeps {
  storage::Database& db;
  const federation::as2::InstanceInfo& instance;         // instance_actor_id must be set
  federation::Clock clock = federation::system_clock();  // NodeInfo activity windows
  std::shared_ptr<spdlog::logger> log;                   // null: spdlog's default logger
  // Starts a backfill of the remote thread of the stored post with this id in the background
  // (the page does not wait for it); empty: pages start none.
  std::function<void(std::string)> backfill = {};
};

}  // namespace civicpub::server::routes
