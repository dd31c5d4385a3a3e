#include "server/views/api_preferences.hpp"

#include "federation/as2/json.hpp"
#include "storage/account_profile.hpp"

namespace civicpub::server::views {

Result<storage::AccountSettings> posting_defaults(storage::Database& db, std::int64_t account_id) {
  return db.read([account_id](storage::Connection& conn) {
    return storage::account_profile::settings(conn, account_id);
  });
}

Result<std::string> preferences_json(storage::Database& db, std::int64_t account_id) {
  auto settings = posting_defaults(db, account_id);
  if (!settings) return settings.error();
  federation::as2::JsonWriter out;
  out.start_object();
  out.field("posting:default:visibility", settings->privacy);
  out.field("posting:default:sensitive", settings->sensitive);
  out.key("posting:default:language");
  if (settings->language.empty()) {
    out.null();
  } else {
    out.string(settings->language);
  }
  out.field("reading:expand:media", "default");
  out.field("reading:expand:spoilers", false);
  out.end_object();
  return out.str();
}

}  // namespace civicpub::server::views
