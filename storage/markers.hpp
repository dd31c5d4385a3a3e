// Reading positions of the Mastodon client API (`/api/v1/markers`): per account, the last status
// read in the home timeline and the last notification read, shared between the person's apps.
#pragma once

#include "storage/connection.hpp"
#include "storage/records.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace civicpub::storage {

struct MarkerRecord {
  std::int64_t account_id = 0;
  std::string timeline;      // "home" or "notifications"
  std::string last_read_id;  // as the app sent it
  std::int64_t version = 0;  // bumped on every save
  Millis updated_at = 0;
};

}  // namespace civicpub::storage

namespace civicpub::storage::markers {

// Creates the marker (version 1) or moves it (version + 1); returns it as stored.
Result<MarkerRecord> save(Connection& conn, std::int64_t account_id, std::string_view timeline,
                          std::string_view last_read_id, Millis now);
Result<std::vector<MarkerRecord>> of_account(Connection& conn, std::int64_t account_id);

}  // namespace civicpub::storage::markers
