// Tells whether the database changed (issue 15: documents cached until they change). Holds its
// own read-only connection and asks SQLite for `PRAGMA data_version`, which differs between two
// calls on one connection whenever any other connection committed in between: the server's own
// writer, or another process (a `civicpub` command run while the server serves). The connection
// never writes, so every commit counts.
//
// Thread-safe: version() serialises on a mutex (one short read transaction per call: a lock on the
// WAL index and a read of its header; no page of the database is read).
#pragma once

#include "storage/connection.hpp"

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

namespace civicpub::storage {

class ChangeWatch {
 public:
  // Errors: what Connection::open answers; Errc::misuse for ":memory:" (a private database no
  // other connection can see).
  static Result<std::unique_ptr<ChangeWatch>> open(const std::string& path);

  // The current data version: equal answers mean nothing was committed in between. An error
  // (a busy or broken file) means "unknown": callers must treat it as changed.
  Result<std::int64_t> version();

 private:
  explicit ChangeWatch(Connection conn) : conn_(std::move(conn)) {}

  std::mutex mutex_;
  Connection conn_;
};

}  // namespace civicpub::storage
