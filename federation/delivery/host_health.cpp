#include "federation/delivery/host_health.hpp"

#include "storage/hosts.hpp"

#include <boost/url/parse.hpp>

#include <algorithm>
#include <cctype>

namespace civicpub::federation::delivery {

std::int64_t utc_day(storage::Millis when) {
  constexpr storage::Millis kDay = 24LL * 60 * 60 * 1000;
  // Floor, not truncation, so times before 1970 (only in tests) stay on their own day.
  return when >= 0 ? when / kDay : -((-when + kDay - 1) / kDay);
}

Result<bool> HostHealth::available(storage::Connection& conn, std::string_view host) const {
  auto row = storage::hosts::find(conn, host);
  if (!row) return Result<bool>(boost::system::in_place_error, row.error());
  return !*row || !(*row)->unavailable;
}

Result<bool> HostHealth::record_failure(storage::Connection& conn, std::string_view host,
                                        storage::Millis now) const {
  auto row = storage::hosts::record_failure(conn, host, utc_day(now), failure_days_);
  if (!row) return Result<bool>(boost::system::in_place_error, row.error());
  return row->unavailable;
}

Result<void> HostHealth::record_success(storage::Connection& conn, std::string_view host,
                                        storage::Millis now) const {
  return storage::hosts::record_success(conn, host, now);
}

Result<void> HostHealth::heard_from(storage::Connection& conn, std::string_view host,
                                    storage::Millis now) const {
  auto row = storage::hosts::find(conn, host);
  if (!row) return row.error();
  if (!*row || ((*row)->failure_days == 0 && !(*row)->unavailable)) return {};
  return storage::hosts::record_success(conn, host, now);
}

}  // namespace civicpub::federation::delivery
