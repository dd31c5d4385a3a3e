// Reading positions (`/api/v1/markers`): Tusky and Trunks stall without them (INTEROP.md section
// 8). An app saves where the person stopped reading the home timeline or the notifications;
// another app of the same person picks it up.
#pragma once

#include "common/error_kind.hpp"
#include "storage/database.hpp"
#include "storage/markers.hpp"

#include <boost/asio/awaitable.hpp>

#include <string>
#include <utility>
#include <vector>

namespace civicpub::server::services {

enum class MarkerError {
  unknown_timeline = 1,  // not "home" or "notifications" (invalid_input)
  bad_position,          // an empty or over-long last_read_id (invalid_input)
};

const civicpub::KindedCategory& marker_error_category() noexcept;

inline boost::system::error_code make_error_code(MarkerError e) noexcept {
  return {static_cast<int>(e), marker_error_category()};
}

// (timeline, last_read_id) pairs, saved in one transaction; answers the saved markers.
boost::asio::awaitable<Result<std::vector<storage::MarkerRecord>>> save_markers(
    storage::Database& db, std::int64_t account_id,
    std::vector<std::pair<std::string, std::string>> positions, storage::Millis now);

// The account's markers, only those of `timelines` when it is not empty.
Result<std::vector<storage::MarkerRecord>> markers_of(storage::Database& db,
                                                      std::int64_t account_id,
                                                      const std::vector<std::string>& timelines);

}  // namespace civicpub::server::services

template <>
struct boost::system::is_error_code_enum<civicpub::server::services::MarkerError> : std::true_type {};
