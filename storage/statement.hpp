// One prepared statement (RAII around sqlite3_stmt*). Parameters are 1-based (?1, ?2, ...);
// columns are 0-based, as in SQLite.
//
// Binding never fails loudly: the first bind error is remembered and returned by the next step(),
// so call sites stay a readable chain of binds followed by one checked step().
#pragma once

#include "storage/connection.hpp"
#include "common/error_kind.hpp"

#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3_stmt;

namespace civicpub::storage {

class Statement {
 public:
  static Result<Statement> prepare(Connection& conn, std::string_view sql);

  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  template <std::integral I>
  Statement& bind(int index, I value) {
    return bind_int64(index, static_cast<std::int64_t>(value));
  }
  Statement& bind(int index, double value);
  Statement& bind(int index, std::string_view value);
  Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  Statement& bind(int index, const std::string& value) {
    return bind(index, std::string_view(value));
  }
  Statement& bind(int index, std::nullopt_t) { return bind_null(index); }
  template <class T>
  Statement& bind(int index, const std::optional<T>& value) {
    return value ? bind(index, *value) : bind_null(index);
  }
  Statement& bind_null(int index);

  // Advances: true when a row is available, false when done; an error otherwise (including a
  // remembered bind error).
  Result<bool> step();
  // Steps until done, for statements whose rows do not matter (INSERT/UPDATE/DELETE).
  Result<void> run();

  std::int64_t column_int64(int column) const;
  bool column_bool(int column) const { return column_int64(column) != 0; }
  double column_double(int column) const;
  std::string column_text(int column) const;  // NULL reads as ""
  std::optional<std::string> column_optional_text(int column) const;
  std::optional<std::int64_t> column_optional_int64(int column) const;
  bool is_null(int column) const;

  // Ready to run again with new bindings (bindings are cleared too).
  void reset();

  // sqlite3_errmsg of the owning connection, for logs.
  std::string error_message() const;

 private:
  Statement(sqlite3_stmt* stmt) noexcept : stmt_(stmt) {}
  Statement& bind_int64(int index, std::int64_t value);
  Statement& remember(int rc);

  sqlite3_stmt* stmt_ = nullptr;
  int bind_error_ = 0;  // first failed bind's SQLite code, 0 when none
};

}  // namespace civicpub::storage
