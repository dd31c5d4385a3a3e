#include "storage/change_watch.hpp"

#include "storage/errors.hpp"
#include "storage/statement.hpp"

namespace civicpub::storage {

Result<std::unique_ptr<ChangeWatch>> ChangeWatch::open(const std::string& path,
                                                       std::function<std::uint64_t()> local_commits,
                                                       Clock::duration recheck, Now now) {
  if (path == ":memory:") return make_error_code(Errc::misuse);
  auto conn = Connection::open(path, ConnectionOptions{.read_only = true});
  if (!conn) return conn.error();
  return std::unique_ptr<ChangeWatch>(
      new ChangeWatch(std::move(*conn), std::move(local_commits), recheck, now));
}

Result<std::int64_t> ChangeWatch::version() {
  const std::lock_guard lock(mutex_);
  return version_locked();
}

Result<std::int64_t> ChangeWatch::version_locked() {
  auto s = Statement::prepare(conn_, "PRAGMA data_version");  // kept prepared by the cache
  if (!s) return s.error();
  auto row = s->step();
  if (!row) return row.error();
  if (!*row) return make_error_code(Errc::corrupt);
  return s->column_int64(0);
}

std::optional<std::int64_t> ChangeWatch::epoch() {
  const auto now = now_().time_since_epoch().count();
  const auto checked = checked_at_.load();
  // The common case: no commit of ours since the last look, and data_version asked recently.
  if (checked != 0 && now - checked < recheck_.count() && local() == seen_local_.load()) {
    return epoch_.load();
  }
  const std::lock_guard lock(mutex_);
  // Read before data_version: a commit of ours after this read is seen by the next call.
  const auto local_now = local();
  bool changed = local_now != seen_local_.load();
  if (checked_at_.load() == 0 || now - checked_at_.load() >= recheck_.count()) {
    auto version = version_locked();
    if (!version) {
      epoch_.fetch_add(1);
      checked_at_.store(0);  // ask again next time
      return std::nullopt;
    }
    changed = changed || checked_at_.load() == 0 || *version != seen_version_;
    seen_version_ = *version;
    checked_at_.store(std::max<Clock::rep>(now, 1));
  }
  if (changed) epoch_.fetch_add(1);
  seen_local_.store(local_now);
  return epoch_.load();
}

}  // namespace civicpub::storage
