// A SAVEPOINT scope: rolls back to the savepoint unless release() succeeded. Savepoints nest, so
// a multi-statement record function (deliveries::enqueue) is all-or-nothing whether it runs inside
// the writer's batch transaction or on its own.
#pragma once

#include "storage/connection.hpp"

#include <string>

namespace civicpub::storage {

class Savepoint {
 public:
  // `name` must be a plain SQL identifier (it is spliced into the SQL, never user input).
  static Result<Savepoint> begin(Connection& conn, std::string name);

  Savepoint(Savepoint&& other) noexcept;
  Savepoint& operator=(Savepoint&&) = delete;
  Savepoint(const Savepoint&) = delete;
  Savepoint& operator=(const Savepoint&) = delete;
  ~Savepoint();

  Result<void> release();
  void rollback() noexcept;

 private:
  Savepoint(Connection& conn, std::string name) : conn_(&conn), name_(std::move(name)) {}

  Connection* conn_;
  std::string name_;
  bool open_ = true;
};

}  // namespace civicpub::storage
