#include "storage/statement.hpp"

#include "storage/errors.hpp"
#include "storage/statement_cache.hpp"

#include <sqlite3.h>

#include <utility>

namespace civicpub::storage {

Result<Statement> Statement::prepare(Connection& conn, std::string_view sql) {
  if (conn.handle() == nullptr) return make_error_code(Errc::closed);
  if (sqlite3_stmt* cached = detail::take_cached_statement(conn.handle(), sql)) {
    return Statement(cached);
  }
  sqlite3_stmt* raw = nullptr;
  const int rc = sqlite3_prepare_v2(conn.handle(), sql.data(), static_cast<int>(sql.size()), &raw,
                                    nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(raw);
    return sqlite_error(rc);
  }
  if (raw == nullptr) return make_error_code(Errc::misuse);  // empty SQL
  return Statement(raw);
}

Statement::Statement(Statement&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)), bind_error_(other.bind_error_) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    detail::recycle_statement(stmt_);
    stmt_ = std::exchange(other.stmt_, nullptr);
    bind_error_ = other.bind_error_;
  }
  return *this;
}

Statement::~Statement() { detail::recycle_statement(stmt_); }

Statement& Statement::remember(int rc) {
  if (rc != SQLITE_OK && bind_error_ == 0) bind_error_ = rc;
  return *this;
}

Statement& Statement::bind_int64(int index, std::int64_t value) {
  return remember(sqlite3_bind_int64(stmt_, index, value));
}

Statement& Statement::bind(int index, double value) {
  return remember(sqlite3_bind_double(stmt_, index, value));
}

Statement& Statement::bind(int index, std::string_view value) {
  // SQLITE_TRANSIENT: SQLite copies, so temporaries may be bound safely. A non-null pointer
  // for an empty view keeps '' distinct from NULL.
  const char* data = value.data() != nullptr ? value.data() : "";
  return remember(sqlite3_bind_text64(stmt_, index, data, value.size(), SQLITE_TRANSIENT,
                                      SQLITE_UTF8));
}

Statement& Statement::bind_null(int index) { return remember(sqlite3_bind_null(stmt_, index)); }

Result<bool> Statement::step() {
  if (bind_error_ != 0) return {boost::system::in_place_error, sqlite_error(bind_error_)};
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return {boost::system::in_place_error, sqlite_error(rc)};
}

Result<void> Statement::run() {
  for (;;) {
    auto row = step();
    if (!row) return row.error();
    if (!*row) return {};
  }
}

std::int64_t Statement::column_int64(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

double Statement::column_double(int column) const { return sqlite3_column_double(stmt_, column); }

std::string Statement::column_text(int column) const {
  const auto* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return {};
  const int size = sqlite3_column_bytes(stmt_, column);
  return std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(size));
}

std::optional<std::string> Statement::column_optional_text(int column) const {
  if (is_null(column)) return std::nullopt;
  return column_text(column);
}

std::optional<std::int64_t> Statement::column_optional_int64(int column) const {
  if (is_null(column)) return std::nullopt;
  return column_int64(column);
}

bool Statement::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  bind_error_ = 0;
}

std::string Statement::error_message() const {
  if (stmt_ == nullptr) return "statement finalized";
  return sqlite3_errmsg(sqlite3_db_handle(stmt_));
}

}  // namespace civicpub::storage
