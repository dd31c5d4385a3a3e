// Domain blocks and suspended actors: one rule for every path content takes in (the inbox door,
// every fetch of actors, keys, posts, parents, backfill and refetches, storing a remote post) and
// goes out (deliveries), so that a blocked server's content cannot come in through someone
// else's hands either. The rules come from federation.blocked_domains (config) and from the
// `civicpub domain block` / `actor suspend` rows; BlockList is the in-memory view every path
// reads (server/services/moderation_refresh keeps it current: no query per request).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace civicpub::federation {

// One blocked authority. `127.0.0.1:9000` blocks that host on that port only; `example.com`
// blocks every port of the host; `*.example.com` blocks the host and all its subdomains, on
// every port. Hosts are lowercase; IPv6 literals are written in brackets (`[::1]:9000`).
struct DomainRule {
  std::string host;
  std::optional<std::uint16_t> port;
  bool subdomains = false;

  friend bool operator==(const DomainRule&, const DomainRule&) = default;
};

// Parses an operator's pattern; nullopt for anything that is not one of the three forms (a URL,
// a path, an empty host, a port out of range, `*.` with a port-only host, spaces, ...).
std::optional<DomainRule> parse_domain_rule(std::string_view pattern);
// The canonical pattern (what is stored and listed): `*.host`, `host`, `host:port`.
std::string to_pattern(const DomainRule& rule);

// Whether the rule covers `host` (lowercase, IPv6 without brackets) reached on `port` (the
// effective port: 443 for an https URL without one).
bool rule_covers(const DomainRule& rule, std::string_view host, std::uint16_t port);
// Whether the rule covers the host and port of an http(s) URL; false for anything else.
bool rule_covers_url(const DomainRule& rule, std::string_view url);

// A federation.blocked_domains entry: the domain and its subdomains, every port (as documented
// for the config key before rules with ports existed).
DomainRule config_domain_rule(std::string domain);

// Why an actor or URL is refused.
enum class Blocked { no, domain, actor };

// The current rules, shared by every path; safe to read from any thread while another replaces
// them. Reads copy one shared_ptr under a mutex and match without holding it.
class BlockList {
 public:
  // `fixed` (federation.blocked_domains) always apply; the stored rules come and go with update().
  explicit BlockList(std::vector<DomainRule> fixed = {});

  // Replaces the stored rules and the suspended actor ids (fragment-less URIs).
  void update(std::vector<DomainRule> rules, std::vector<std::string> suspended_actors);

  // A URL on a blocked domain (domain rules only).
  bool blocks_url(std::string_view url) const;
  // An actor (or a key id: the fragment is ignored) refused: its domain, or itself suspended.
  Blocked check_actor(std::string_view actor_or_key_id) const;

 private:
  struct Snapshot {
    std::vector<DomainRule> rules;
    std::set<std::string, std::less<>> suspended;
  };
  std::shared_ptr<const Snapshot> snapshot() const;

  std::vector<DomainRule> fixed_;
  mutable std::mutex mutex_;
  std::shared_ptr<const Snapshot> snapshot_;
};

}  // namespace civicpub::federation
