// What update_credentials sets beyond the actors row (issue 13): profile fields (Mastodon's
// "profile metadata", at most four name/value pairs) and the posting defaults apps read from
// verify_credentials' `source` (privacy, sensitive, language). Migration 15.
#pragma once

#include "storage/connection.hpp"
#include "storage/records.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace civicpub::storage {

struct AccountField {
  std::string name;
  std::string value;       // as typed (source.fields)
  std::string value_html;  // marked up like a bio (links), for the Account entity
};

struct AccountSettings {
  std::string privacy = "public";  // public, unlisted, private, direct (Mastodon's names)
  bool sensitive = false;
  std::string language;  // empty: none chosen
};

}  // namespace civicpub::storage

namespace civicpub::storage::account_profile {

// Replaces the account's fields (in this order).
Result<void> set_fields(Connection& conn, std::int64_t actor_id,
                        const std::vector<AccountField>& fields);
Result<std::vector<AccountField>> fields(Connection& conn, std::int64_t actor_id);

Result<void> set_settings(Connection& conn, std::int64_t actor_id, const AccountSettings& settings,
                          Millis now);
// The stored settings, or the defaults.
Result<AccountSettings> settings(Connection& conn, std::int64_t actor_id);

// The local actor's ActivityPub type (Person, Service: Mastodon's `bot`). Errc::not_found if
// no such local actor.
Result<void> set_local_type(Connection& conn, std::int64_t actor_id, std::string_view type);

}  // namespace civicpub::storage::account_profile
