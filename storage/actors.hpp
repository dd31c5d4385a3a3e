// Local and remote actors. Lookups return Result<std::optional<...>>: an empty optional is "no
// such actor", an error is a broken database, and the two must never be confused (a disk error
// must not look like a missing actor and trigger a refetch or a 404 of an existing account).
#pragma once

#include "storage/connection.hpp"
#include "storage/records.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace civicpub::storage::actors {

// Inserts a local actor (`local` is forced on) and returns its id. A username already taken by
// another local actor, ignoring case, or a taken uri -> Errc::conflict.
Result<std::int64_t> insert_local(Connection& conn, const ActorRecord& actor);

// Case-insensitive; includes deleted actors (callers answer 410 for those).
Result<std::optional<ActorRecord>> find_local_by_username(Connection& conn,
                                                          std::string_view username);
Result<std::optional<ActorRecord>> find_by_uri(Connection& conn, std::string_view uri);
Result<std::optional<ActorRecord>> find_by_id(Connection& conn, std::int64_t id);
// find_by_id for a set of ids in one query (a page's authors): id -> actor, deleted ones
// included; ids with no actor are absent. Repeated ids are fine; none -> no query.
Result<std::unordered_map<std::int64_t, ActorRecord>> find_by_ids(
    Connection& conn, std::span<const std::int64_t> ids);
Result<std::optional<ActorRecord>> find_by_key_id(Connection& conn, std::string_view key_id);

// Local actors that are not deleted, oldest first.
Result<std::vector<ActorRecord>> list_local(Connection& conn);
Result<std::int64_t> count_local(Connection& conn);

// Inserts a remote actor or refreshes the stored copy (matched by uri) and returns its id. A
// remote document claiming the uri of a local actor -> Errc::conflict (never overwrite ours).
Result<std::int64_t> upsert_remote(Connection& conn, const ActorRecord& actor);

// Updates the editable profile fields of local actor `actor.id` (display_name, summary_html, url,
// manually_approves_followers, discoverable, updated_at). Errc::not_found if no such local actor.
Result<void> update_local_profile(Connection& conn, const ActorRecord& actor);

// Sets deleted_at. Errc::not_found if no such actor.
Result<void> mark_deleted(Connection& conn, std::int64_t id, Millis at);

}  // namespace civicpub::storage::actors
