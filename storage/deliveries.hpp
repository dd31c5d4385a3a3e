// The outbound delivery queue: one row per (activity, inbox). Rows carry the signing actor's id,
// never a private key (the worker loads it from local_keys at send time), and point at their
// activity's body, kept once in delivery_bodies however many servers it goes to.
#pragma once

#include "storage/connection.hpp"
#include "storage/records.hpp"

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace civicpub::storage::deliveries {

// Whose activity a row carries: one of our actors' own, or someone else's that a local actor
// forwards. Rows are keyed by (activity id, inbox, source), so a forwarded activity, whatever id
// it claims, never takes the place of one of ours.
enum class Source { local, forwarded };

// Inserts one pending row per distinct inbox, due at `now`, all pointing at one stored copy of
// `body`; inboxes already queued for this activity from the same source (or repeated in the
// list) are skipped. All-or-nothing (its own savepoint). Returns how many rows were inserted.
Result<std::size_t> enqueue(Connection& conn, std::string_view activity_id, std::int64_t actor_id,
                            std::string_view body, const std::vector<std::string>& inboxes,
                            Millis now, Source source = Source::local);

// A row's place in the order due rows are read in: (next_attempt_at, id).
struct DueKey {
  Millis next_attempt_at = 0;
  std::int64_t id = 0;
  static DueKey of(const DeliveryRecord& row) { return {row.next_attempt_at, row.id}; }
  friend auto operator<=>(const DueKey&, const DueKey&) = default;
};

// Pending rows with next_attempt_at <= now, earliest first, at most `limit`; with `after`, only
// the rows that come after that place (the next page).
Result<std::vector<DeliveryRecord>> due(Connection& conn, Millis now, int limit,
                                        std::optional<DueKey> after = std::nullopt);

// Each of these counts the attempt (attempts + 1) and records the answer; Errc::not_found when
// there is no such row.
Result<void> mark_done(Connection& conn, std::int64_t id, int status, Millis now);
Result<void> reschedule(Connection& conn, std::int64_t id, Millis next_attempt_at, int status,
                        std::string_view error, Millis now);
Result<void> give_up(Connection& conn, std::int64_t id, int status, std::string_view error,
                     Millis now);

Result<std::int64_t> pending_count(Connection& conn);

// Deletes at most `limit` done or dead rows last touched before `before`, oldest first, and the
// bodies no row points at any more; returns how many rows went. Redeliveries of a purged
// activity are not possible any more (that is the point).
Result<std::int64_t> purge_finished(Connection& conn, Millis before, int limit);
Result<std::optional<DeliveryRecord>> find_by_id(Connection& conn, std::int64_t id);

}  // namespace civicpub::storage::deliveries
