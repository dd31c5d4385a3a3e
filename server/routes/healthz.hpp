// GET /healthz: for load balancers, systemd watchdogs and the test harness. 200 {"status":"ok"}
// only when the database answers a read; 503 otherwise (the detail goes to the log).
#pragma once

#include "server/http/request.hpp"
#include "storage/database.hpp"

namespace civicpub::server::routes {

http::Response healthz(storage::Database& db);

}  // namespace civicpub::server::routes
