#include "server/services/markers.hpp"

#include "federation/storage_async.hpp"

#include <algorithm>

namespace civicpub::server::services {
namespace {

class MarkerCategory final : public KindedCategory {
 public:
  const char* name() const noexcept override { return "civicpub.markers"; }
  std::string message(int value) const override {
    switch (static_cast<MarkerError>(value)) {
      case MarkerError::unknown_timeline: return "Validation failed: Timeline is not included in the list";
      case MarkerError::bad_position: return "Validation failed: Last read id is invalid";
    }
    return "marker error";
  }
  ErrorKind kind(int) const noexcept override { return ErrorKind::invalid_input; }
};

using Markers = std::vector<storage::MarkerRecord>;

auto save_job(std::int64_t account_id, std::vector<std::pair<std::string, std::string>> positions,
              storage::Millis now) {
  return [account_id, positions = std::move(positions), now](
             storage::Connection& conn) -> Result<Markers> {
    Markers saved;
    for (const auto& [timeline, id] : positions) {
      auto marker = storage::markers::save(conn, account_id, timeline, id, now);
      if (!marker) return marker.error();
      saved.push_back(std::move(*marker));
    }
    return saved;
  };
}

}  // namespace

const KindedCategory& marker_error_category() noexcept {
  static const MarkerCategory category;
  return category;
}

boost::asio::awaitable<Result<Markers>> save_markers(
    storage::Database& db, std::int64_t account_id,
    std::vector<std::pair<std::string, std::string>> positions, storage::Millis now) {
  for (const auto& [timeline, id] : positions) {
    if (timeline != "home" && timeline != "notifications") {
      co_return make_error_code(MarkerError::unknown_timeline);
    }
    if (id.empty() || id.size() > 64) co_return make_error_code(MarkerError::bad_position);
  }
  auto job = save_job(account_id, std::move(positions), now);
  auto saved = co_await federation::write(db, std::move(job));
  co_return saved;
}

Result<Markers> markers_of(storage::Database& db, std::int64_t account_id,
                           const std::vector<std::string>& timelines) {
  auto all = db.read(
      [&](storage::Connection& conn) { return storage::markers::of_account(conn, account_id); });
  if (!all || timelines.empty()) return all;
  std::erase_if(*all, [&](const storage::MarkerRecord& m) {
    return std::find(timelines.begin(), timelines.end(), m.timeline) == timelines.end();
  });
  return all;
}

}  // namespace civicpub::server::services
