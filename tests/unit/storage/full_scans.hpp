// Records the statements that stepped through a whole table (SQLITE_STMTSTATUS_FULLSCAN_STEP)
// while it is alive, so a test can show that a hot query uses its index instead of reading every
// row: a full scan is invisible in a ten-row test and costs seconds at 100,000 posts.
#pragma once

#include "storage/connection.hpp"

#include <sqlite3.h>

#include <string>
#include <vector>

namespace civicpub::storage::test {

class FullScans {
 public:
  explicit FullScans(Connection& conn) : db_(conn.handle()) {
    sqlite3_trace_v2(db_, SQLITE_TRACE_PROFILE, &FullScans::on_profile, this);
  }
  ~FullScans() { sqlite3_trace_v2(db_, 0, nullptr, nullptr); }
  FullScans(const FullScans&) = delete;
  FullScans& operator=(const FullScans&) = delete;

  // The SQL of every statement that scanned a table since construction.
  const std::vector<std::string>& statements() const { return scans_; }
  // The rows those scans stepped through: a scan of a small partial index steps a few rows, one
  // of the whole table steps every row.
  int steps() const { return steps_; }

 private:
  static int on_profile(unsigned, void* self, void* stmt, void*) {
    auto* s = static_cast<sqlite3_stmt*>(stmt);
    // Reset the counter so a cached statement is judged per run.
    if (const int steps = sqlite3_stmt_status(s, SQLITE_STMTSTATUS_FULLSCAN_STEP, 1); steps > 0) {
      static_cast<FullScans*>(self)->steps_ += steps;
      const char* sql = sqlite3_sql(s);
      static_cast<FullScans*>(self)->scans_.emplace_back(sql ? sql : "");
    }
    return 0;
  }

  sqlite3* db_;
  std::vector<std::string> scans_;
  int steps_ = 0;
};

}  // namespace civicpub::storage::test
