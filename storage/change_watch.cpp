#include "storage/change_watch.hpp"

#include "storage/errors.hpp"
#include "storage/statement.hpp"

namespace civicpub::storage {

Result<std::unique_ptr<ChangeWatch>> ChangeWatch::open(const std::string& path) {
  if (path == ":memory:") return make_error_code(Errc::misuse);
  auto conn = Connection::open(path, ConnectionOptions{.read_only = true});
  if (!conn) return conn.error();
  return std::unique_ptr<ChangeWatch>(new ChangeWatch(std::move(*conn)));
}

Result<std::int64_t> ChangeWatch::version() {
  const std::lock_guard lock(mutex_);
  auto s = Statement::prepare(conn_, "PRAGMA data_version");  // kept prepared by the cache
  if (!s) return s.error();
  auto row = s->step();
  if (!row) return row.error();
  if (!*row) return make_error_code(Errc::corrupt);
  return s->column_int64(0);
}

}  // namespace civicpub::storage
