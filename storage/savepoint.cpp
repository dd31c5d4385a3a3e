#include "storage/savepoint.hpp"

#include <utility>

namespace civicpub::storage {

Result<Savepoint> Savepoint::begin(Connection& conn, std::string name) {
  if (auto r = conn.exec("SAVEPOINT " + name); !r) return r.error();
  return Savepoint(conn, std::move(name));
}

Savepoint::Savepoint(Savepoint&& other) noexcept
    : conn_(other.conn_), name_(std::move(other.name_)), open_(std::exchange(other.open_, false)) {}

Savepoint::~Savepoint() { rollback(); }

Result<void> Savepoint::release() {
  if (!open_) return {};
  auto r = conn_->exec("RELEASE " + name_);
  if (r) open_ = false;
  return r;
}

void Savepoint::rollback() noexcept {
  if (!open_) return;
  open_ = false;
  // ROLLBACK TO keeps the savepoint on the stack; RELEASE pops it. If SQLite already rolled the
  // whole transaction back (I/O error), both fail harmlessly.
  (void)conn_->exec("ROLLBACK TO " + name_);
  (void)conn_->exec("RELEASE " + name_);
}

}  // namespace civicpub::storage
