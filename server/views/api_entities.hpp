// Mastodon client API entities (docs.joinmastodon.org/entities): Account and Status, written
// from stored records. Ids are strings (the row ids), times ISO 8601 with milliseconds (toot
// crashes without them, INTEROP.md section 7), and every member apps read is present, null or
// empty rather than missing (INTEROP.md section 8).
#pragma once

#include "federation/as2/instance_info.hpp"
#include "federation/as2/json.hpp"
#include "storage/connection.hpp"
#include "storage/records.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace civicpub::server::views {

// The placeholder picture every account gets until civicpub has media (apps need a real image
// URL: Toot! did not cope with a missing avatar, GoToSocial #513).
inline constexpr std::string_view kDefaultAvatarPath = "/avatars/original/missing.png";

struct ApiView {
  const federation::as2::InstanceInfo& instance;
  std::optional<std::int64_t> viewer_id;  // the authenticated account, if any
  storage::Millis now = 0;                 // whether a poll has expired
};

// Account. `with_source`: the `source` member of verify_credentials (privacy, sensitive,
// language, note as plain text, fields, follow_requests_count).
Result<void> write_account(federation::as2::JsonWriter& out, storage::Connection& conn,
                           const storage::ActorRecord& actor, const ApiView& view,
                           bool with_source = false);

// Status (the author is read from storage).
Result<void> write_status(federation::as2::JsonWriter& out, storage::Connection& conn,
                          const storage::PostRecord& post, const ApiView& view);

// JSON text of one account, one status, or an array of statuses.
Result<std::string> account_json(storage::Connection& conn, const storage::ActorRecord& actor,
                                 const ApiView& view, bool with_source = false);
Result<std::string> status_json(storage::Connection& conn, const storage::PostRecord& post,
                                const ApiView& view);
Result<std::string> statuses_json(storage::Connection& conn,
                                  const std::vector<storage::PostRecord>& posts,
                                  const ApiView& view);

// HTML we wrote as plain text (`source.note`, a status's source): tags dropped, paragraphs and
// line breaks kept as newlines, the few entities we write undone.
std::string plain_text(std::string_view html);

// The Mastodon visibility name ("public", "unlisted", "private", "direct").
std::string_view api_visibility(storage::Visibility v);
std::optional<storage::Visibility> parse_api_visibility(std::string_view text);

}  // namespace civicpub::server::views
