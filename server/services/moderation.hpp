// Instance moderation (issue 12, point 5): the use cases behind `civicpub domain block|unblock|
// list` and `civicpub actor suspend|unsuspend`, and loading the rules into the BlockList every
// path reads. A block takes effect in one transaction: the rule is stored, follows in both
// directions with actors on the covered authorities are removed (nothing is sent there), their
// posts are hidden, and pending deliveries to them are given up. Lifting it brings back the posts
// moderation hid (not the follows).
#pragma once

#include "common/error_kind.hpp"
#include "federation/remote/domain_blocks.hpp"
#include "storage/database.hpp"
#include "storage/moderation.hpp"
#include "storage/records.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace civicpub::server::services {

enum class ModerationError {
  bad_pattern = 1,  // not `host`, `host:port` or `*.host` (invalid_input)
  not_blocked,      // unblock of a pattern that is not blocked (not_found)
  local_actor,      // our own accounts are not suspended this way (invalid_input)
  not_suspended,    // unsuspend of an actor that is not suspended (not_found)
  unknown_report,   // no report with that id (not_found)
  nothing_to_report,  // report send: the URL names no post or actor we can report (invalid_input)
};

const KindedCategory& moderation_error_category() noexcept;

inline boost::system::error_code make_error_code(ModerationError e) noexcept {
  return {static_cast<int>(e), moderation_error_category()};
}

struct BlockOutcome {
  std::string pattern;  // canonical
  bool added = false;   // false: an existing block's reason or reject_media was replaced
  std::vector<std::string> domains;  // known authorities it covers
  std::int64_t follows_severed = 0;
  std::int64_t posts_hidden = 0;
  std::int64_t deliveries_dropped = 0;
};

Result<BlockOutcome> block_domain(storage::Database& db, std::string_view pattern,
                                  std::string reason, bool reject_media, storage::Millis now);
// Returns the canonical pattern removed. ModerationError::bad_pattern / not_blocked.
Result<std::string> unblock_domain(storage::Database& db, std::string_view pattern);
Result<std::vector<storage::DomainBlockRecord>> list_domain_blocks(storage::Database& db);

// Suspends the remote actor stored as `actor` (hides its posts). ModerationError::local_actor.
Result<void> suspend_actor(storage::Database& db, const storage::ActorRecord& actor,
                           std::string_view reason, storage::Millis now);
// Lifts it; the posts come back unless the actor's domain is blocked too.
Result<void> unsuspend_actor(storage::Database& db, const storage::ActorRecord& actor);

// The stored rules and suspended actors, into `blocks` (a rule that no longer parses is skipped).
// Returns the generation read, so a caller can skip reloading while it does not change.
Result<std::int64_t> load_block_list(storage::Database& db, federation::BlockList& blocks);

}  // namespace civicpub::server::services

template <>
struct boost::system::is_error_code_enum<civicpub::server::services::ModerationError>
    : std::true_type {};
