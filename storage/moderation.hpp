// Instance moderation (issue 12, point 5): domain blocks, suspended remote actors, and what a
// block or a suspension does to what is stored (posts hidden and restored, follows severed,
// pending deliveries given up). Which domains a pattern covers is decided above (federation's
// DomainRule): these functions take the authorities (actors.domain) the caller matched.
#pragma once

#include "storage/connection.hpp"
#include "storage/records.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace civicpub::storage {

struct DomainBlockRecord {
  std::string pattern;  // canonical: `*.host`, `host`, `host:port`
  std::string reason;
  bool reject_media = false;
  Millis created_at = 0;
};

// A remote authority we know actors on, with one of their ids (its scheme tells the port).
struct KnownDomain {
  std::string domain;      // actors.domain: host[:port]
  std::string sample_uri;  // an actor id on it
};

struct PendingDelivery {
  std::int64_t id = 0;
  std::string inbox_url;
};

}  // namespace civicpub::storage

namespace civicpub::storage::moderation {

// Adds or replaces (reason, reject_media) a block; true when it is new.
Result<bool> put_domain_block(Connection& conn, const DomainBlockRecord& block);
// True when a block was removed.
Result<bool> remove_domain_block(Connection& conn, std::string_view pattern);
// Every block, in pattern order.
Result<std::vector<DomainBlockRecord>> domain_blocks(Connection& conn);

// Changes whenever a block or a suspension changes (triggers of migration 10).
Result<std::int64_t> generation(Connection& conn);
// Whether the stored post `ap_id` is hidden by moderation (a domain block, a suspension, or, for
// our own posts, a group moderator's removal), not deleted by its author.
Result<bool> post_hidden(Connection& conn, std::string_view ap_id);
// Ids of the suspended actors.
Result<std::vector<std::string>> suspended_actor_uris(Connection& conn);

// Every remote authority with at least one actor.
Result<std::vector<KnownDomain>> known_domains(Connection& conn);
// Posts of actors on `domain` not yet hidden are hidden (deleted_at = now, moderated = 1);
// returns how many.
Result<std::int64_t> hide_domain_posts(Connection& conn, std::string_view domain, Millis now);
// Posts of actors on `domain` that moderation hid are shown again, except a suspended actor's.
Result<std::int64_t> restore_domain_posts(Connection& conn, std::string_view domain);
// Follows in either direction between an actor on `domain` and anyone: removed, nothing is sent.
Result<std::int64_t> sever_domain_follows(Connection& conn, std::string_view domain);
// Pending delivery rows (what a block may have to give up).
Result<std::vector<PendingDelivery>> pending_deliveries(Connection& conn);

// Suspends (or, with nullopt, lifts the suspension of) the actor row `actor_id`; its posts are
// hidden, or those moderation hid are restored. Errc::not_found for no such actor.
Result<void> suspend_actor(Connection& conn, std::int64_t actor_id, std::string_view reason,
                           Millis now);
Result<void> unsuspend_actor(Connection& conn, std::int64_t actor_id, bool restore_posts);

}  // namespace civicpub::storage::moderation
