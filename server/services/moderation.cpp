#include "server/services/moderation.hpp"

#include "storage/deliveries.hpp"
#include "storage/errors.hpp"

#include <algorithm>

namespace civicpub::server::services {
namespace {

class ModerationCategory final : public KindedCategory {
 public:
  const char* name() const noexcept override { return "civicpub.moderation"; }
  std::string message(int value) const override {
    switch (static_cast<ModerationError>(value)) {
      case ModerationError::bad_pattern:
        return "not a domain pattern (host, host:port or *.host)";
      case ModerationError::not_blocked: return "that domain is not blocked";
      case ModerationError::local_actor: return "only remote actors can be suspended";
      case ModerationError::not_suspended: return "that actor is not suspended";
      case ModerationError::unknown_report: return "no such report";
      case ModerationError::nothing_to_report: return "no post or actor to report at that URL";
    }
    return "moderation error";
  }
  ErrorKind kind(int value) const noexcept override {
    switch (static_cast<ModerationError>(value)) {
      case ModerationError::bad_pattern:
      case ModerationError::local_actor:
      case ModerationError::nothing_to_report: return ErrorKind::invalid_input;
      case ModerationError::not_blocked:
      case ModerationError::not_suspended:
      case ModerationError::unknown_report: return ErrorKind::not_found;
    }
    return ErrorKind::internal;
  }
};

std::vector<federation::DomainRule> stored_rules(
    const std::vector<storage::DomainBlockRecord>& blocks) {
  std::vector<federation::DomainRule> rules;
  for (const auto& block : blocks) {
    if (auto rule = federation::parse_domain_rule(block.pattern)) rules.push_back(*rule);
  }
  return rules;
}

bool any_covers(const std::vector<federation::DomainRule>& rules, std::string_view url) {
  return std::any_of(rules.begin(), rules.end(), [&](const federation::DomainRule& rule) {
    return federation::rule_covers_url(rule, url);
  });
}

// The known authorities (actors.domain) `rule` covers, judged by one actor id on each (its
// scheme gives the port an authority without one is reached on).
Result<std::vector<std::string>> covered_domains(storage::Connection& conn,
                                                 const federation::DomainRule& rule) {
  auto known = storage::moderation::known_domains(conn);
  if (!known) return known.error();
  std::vector<std::string> out;
  for (const auto& k : *known) {
    if (federation::rule_covers_url(rule, k.sample_uri)) out.push_back(k.domain);
  }
  return out;
}

Result<BlockOutcome> apply_block(storage::Connection& conn, const federation::DomainRule& rule,
                                 std::string reason, bool reject_media, storage::Millis now) {
  BlockOutcome out;
  out.pattern = federation::to_pattern(rule);
  auto added = storage::moderation::put_domain_block(
      conn, storage::DomainBlockRecord{out.pattern, std::move(reason), reject_media, now});
  if (!added) return added.error();
  out.added = *added;
  auto domains = covered_domains(conn, rule);
  if (!domains) return domains.error();
  out.domains = std::move(*domains);
  for (const auto& domain : out.domains) {
    auto severed = storage::moderation::sever_domain_follows(conn, domain);
    if (!severed) return severed.error();
    out.follows_severed += *severed;
    auto hidden = storage::moderation::hide_domain_posts(conn, domain, now);
    if (!hidden) return hidden.error();
    out.posts_hidden += *hidden;
  }
  auto pending = storage::moderation::pending_deliveries(conn);
  if (!pending) return pending.error();
  for (const auto& row : *pending) {
    if (!federation::rule_covers_url(rule, row.inbox_url)) continue;
    if (auto r = storage::deliveries::give_up(conn, row.id, 0, "domain blocked", now); !r) {
      return r.error();
    }
    ++out.deliveries_dropped;
  }
  return out;
}

Result<std::string> apply_unblock(storage::Connection& conn, const federation::DomainRule& rule) {
  const std::string pattern = federation::to_pattern(rule);
  auto removed = storage::moderation::remove_domain_block(conn, pattern);
  if (!removed) return removed.error();
  if (!*removed) return make_error_code(ModerationError::not_blocked);
  auto domains = covered_domains(conn, rule);
  if (!domains) return domains.error();
  auto remaining = storage::moderation::domain_blocks(conn);
  if (!remaining) return remaining.error();
  const auto rules = stored_rules(*remaining);
  auto known = storage::moderation::known_domains(conn);
  if (!known) return known.error();
  for (const auto& k : *known) {
    // Posts come back only where no other block still covers the authority.
    if (std::find(domains->begin(), domains->end(), k.domain) == domains->end()) continue;
    if (any_covers(rules, k.sample_uri)) continue;
    if (auto r = storage::moderation::restore_domain_posts(conn, k.domain); !r) return r.error();
  }
  return pattern;
}

}  // namespace

const KindedCategory& moderation_error_category() noexcept {
  static const ModerationCategory category;
  return category;
}

Result<BlockOutcome> block_domain(storage::Database& db, std::string_view pattern,
                                  std::string reason, bool reject_media, storage::Millis now) {
  auto rule = federation::parse_domain_rule(pattern);
  if (!rule) return make_error_code(ModerationError::bad_pattern);
  return db.write_sync([&](storage::Connection& conn) {
    return apply_block(conn, *rule, std::move(reason), reject_media, now);
  });
}

Result<std::string> unblock_domain(storage::Database& db, std::string_view pattern) {
  auto rule = federation::parse_domain_rule(pattern);
  if (!rule) return make_error_code(ModerationError::bad_pattern);
  return db.write_sync([&](storage::Connection& conn) { return apply_unblock(conn, *rule); });
}

Result<std::vector<storage::DomainBlockRecord>> list_domain_blocks(storage::Database& db) {
  return db.read(
      [](storage::Connection& conn) { return storage::moderation::domain_blocks(conn); });
}

Result<void> suspend_actor(storage::Database& db, const storage::ActorRecord& actor,
                           std::string_view reason, storage::Millis now) {
  if (actor.local) return make_error_code(ModerationError::local_actor);
  return db.write_sync([&](storage::Connection& conn) {
    return storage::moderation::suspend_actor(conn, actor.id, reason, now);
  });
}

Result<void> unsuspend_actor(storage::Database& db, const storage::ActorRecord& actor) {
  if (actor.local) return make_error_code(ModerationError::local_actor);
  return db.write_sync([&](storage::Connection& conn) -> Result<void> {
    auto suspended = storage::moderation::suspended_actor_uris(conn);
    if (!suspended) return suspended.error();
    if (std::find(suspended->begin(), suspended->end(), actor.uri) == suspended->end()) {
      return make_error_code(ModerationError::not_suspended);
    }
    auto blocks = storage::moderation::domain_blocks(conn);
    if (!blocks) return blocks.error();
    const bool domain_blocked = any_covers(stored_rules(*blocks), actor.uri);
    return storage::moderation::unsuspend_actor(conn, actor.id, !domain_blocked);
  });
}

Result<std::int64_t> load_block_list(storage::Database& db, federation::BlockList& blocks) {
  struct Loaded {
    std::int64_t generation = 0;
    std::vector<storage::DomainBlockRecord> blocks;
    std::vector<std::string> suspended;
  };
  auto loaded = db.read([](storage::Connection& conn) -> Result<Loaded> {
    Loaded l;
    auto generation = storage::moderation::generation(conn);
    if (!generation) return generation.error();
    l.generation = *generation;
    auto stored = storage::moderation::domain_blocks(conn);
    if (!stored) return stored.error();
    l.blocks = std::move(*stored);
    auto suspended = storage::moderation::suspended_actor_uris(conn);
    if (!suspended) return suspended.error();
    l.suspended = std::move(*suspended);
    return l;
  });
  if (!loaded) return loaded.error();
  blocks.update(stored_rules(loaded->blocks), std::move(loaded->suspended));
  return loaded->generation;
}

}  // namespace civicpub::server::services
