#include "server/routes/healthz.hpp"

#include "server/http/response.hpp"
#include "storage/migrations.hpp"

#include <spdlog/spdlog.h>

namespace civicpub::server::routes {

http::Response healthz(storage::Database& db) {
  // A real read through the read pool: proves the file is there, readable and migrated.
  auto version = db.read([](storage::Connection& conn) { return storage::schema_version(conn); });
  if (!version) {
    spdlog::error("healthz: database read failed: {}", version.error().message());
    return http::error_response(boost::beast::http::status::service_unavailable,
                                "database unavailable");
  }
  auto res = http::json_response(boost::beast::http::status::ok, R"({"status":"ok"})");
  res.set(boost::beast::http::field::cache_control, "no-store");
  return res;
}

}  // namespace civicpub::server::routes
