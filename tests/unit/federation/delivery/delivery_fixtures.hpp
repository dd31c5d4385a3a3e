// Shared pieces of the delivery tests: a real SQLite file with a local actor that has a key and
// a manual clock. The fake Transport, the deadline-bounded run_until and the temp directory are
// the test world's (tests/unit/support).
#pragma once

#include "federation/clock.hpp"
#include "federation/http/transport.hpp"
#include "storage/database.hpp"
#include "tests/unit/support/actors.hpp"
#include "tests/unit/support/catch_result.hpp"
#include "tests/unit/support/fake_transport.hpp"
#include "tests/unit/support/run.hpp"
#include "tests/unit/support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace civicpub::test {

namespace asio = boost::asio;

// 2024-03-01T12:00:00Z
inline constexpr storage::Millis kStart = 1709294400000;

class ManualClock {
 public:
  explicit ManualClock(storage::Millis start = kStart)
      : now_(std::make_shared<std::atomic<storage::Millis>>(start)) {}
  federation::Clock clock() const {
    return [now = now_] { return now->load(); };
  }
  storage::Millis now() const { return now_->load(); }
  void set(storage::Millis t) { now_->store(t); }
  void advance(std::chrono::milliseconds d) { now_->fetch_add(d.count()); }

 private:
  std::shared_ptr<std::atomic<storage::Millis>> now_;
};

// The database file in `dir` (the same file each time: a restart opens it again).
inline std::unique_ptr<storage::Database> open_db(const TempDir& dir) {
  storage::DatabaseOptions options;
  options.path = dir.file("civicpub.db");
  auto db = storage::Database::open(options);
  REQUIRE(db);
  return std::move(*db);
}

// A local Organization stored with its signing key (test::store_local_actor).
inline storage::ActorRecord add_local_actor(storage::Database& db, const std::string& name) {
  auto a = local_actor(name);
  a.type = "Organization";
  a.created_at = a.updated_at = 1;
  return store_local_actor(db, a);
}

inline federation::http::OutboundResponse response(
    unsigned status, std::vector<std::pair<std::string, std::string>> headers = {}) {
  federation::http::OutboundResponse r;
  r.status = status;
  r.headers = std::move(headers);
  return r;
}

}  // namespace civicpub::test
