// Internal to storage: small helpers that turn a prepared, bound statement into results.
#pragma once

#include "storage/errors.hpp"
#include "storage/statement.hpp"

#include <optional>
#include <vector>

namespace civicpub::storage::detail {

template <class T>
Result<T> fail(boost::system::error_code ec) {
  return Result<T>(boost::system::in_place_error, ec);
}

// At most one row, read with `read`.
template <class Read>
auto fetch_one(Statement& s, Read read) -> Result<std::optional<decltype(read(s))>> {
  using T = decltype(read(s));
  auto row = s.step();
  if (!row) return fail<std::optional<T>>(row.error());
  if (!*row) return std::optional<T>();
  return std::optional<T>(read(s));
}

// Every row, read with `read`.
template <class Read>
auto fetch_all(Statement& s, Read read) -> Result<std::vector<decltype(read(s))>> {
  using T = decltype(read(s));
  std::vector<T> out;
  for (;;) {
    auto row = s.step();
    if (!row) return fail<std::vector<T>>(row.error());
    if (!*row) return out;
    out.push_back(read(s));
  }
}

// The single integer of a COUNT(*) or RETURNING id.
inline Result<std::int64_t> fetch_int(Statement& s) {
  auto row = s.step();
  if (!row) return fail<std::int64_t>(row.error());
  if (!*row) return fail<std::int64_t>(make_error_code(Errc::not_found));
  return s.column_int64(0);
}

// An UPDATE/DELETE that must touch a row: Errc::not_found when it touched none.
inline Result<void> run_expect_change(Connection& conn, Statement& s) {
  if (auto r = s.run(); !r) return r;
  if (conn.changes() == 0) return make_error_code(Errc::not_found);
  return {};
}

}  // namespace civicpub::storage::detail
