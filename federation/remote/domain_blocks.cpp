#include "federation/remote/domain_blocks.hpp"

#include "federation/http/url_target.hpp"
#include "federation/http/urls.hpp"
#include "federation/signatures/header_list.hpp"

#include <algorithm>
#include <charconv>

namespace civicpub::federation {
namespace {

constexpr std::size_t kMaxHostLength = 253;

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
}

// A DNS name or IPv4 address: name characters, no empty label.
bool valid_name(std::string_view host) {
  if (host.empty() || host.size() > kMaxHostLength) return false;
  if (!std::all_of(host.begin(), host.end(), is_name_char)) return false;
  return !host.starts_with('.') && !host.ends_with('.') && host.find("..") == std::string_view::npos;
}

bool valid_ipv6(std::string_view host) {
  if (host.size() < 2 || host.size() > 45 || host.find(':') == std::string_view::npos) return false;
  return std::all_of(host.begin(), host.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == ':' || c == '.';
  });
}

std::optional<std::uint16_t> parse_port(std::string_view text) {
  unsigned value = 0;
  const auto* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || text.size() > 5 || ec != std::errc() || ptr != end || value == 0 ||
      value > 65535) {
    return std::nullopt;
  }
  return static_cast<std::uint16_t>(value);
}

// Splits `host[:port]` or `[v6][:port]` and checks both halves.
std::optional<DomainRule> parse_authority(std::string_view text) {
  DomainRule rule;
  std::string_view port;
  if (text.starts_with('[')) {
    const auto close = text.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    rule.host = std::string(text.substr(1, close - 1));
    if (!valid_ipv6(rule.host)) return std::nullopt;
    auto rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (!rest.starts_with(':')) return std::nullopt;
      port = rest.substr(1);
      if (port.empty()) return std::nullopt;
    }
  } else {
    const auto colon = text.find(':');
    rule.host = std::string(text.substr(0, colon));
    if (!valid_name(rule.host)) return std::nullopt;
    if (colon != std::string_view::npos) {
      port = text.substr(colon + 1);
      if (port.empty()) return std::nullopt;
    }
  }
  if (!port.empty()) {
    rule.port = parse_port(port);
    if (!rule.port) return std::nullopt;
  }
  return rule;
}

}  // namespace

std::optional<DomainRule> parse_domain_rule(std::string_view pattern) {
  const std::string lower = signatures::to_lower(pattern);
  std::string_view text = lower;
  if (text.starts_with("*.")) {
    text.remove_prefix(2);
    if (!valid_name(text)) return std::nullopt;  // no port, no IPv6 literal under a wildcard
    return DomainRule{std::string(text), std::nullopt, true};
  }
  return parse_authority(text);
}

std::string to_pattern(const DomainRule& rule) {
  std::string host = rule.host.find(':') == std::string::npos ? rule.host : "[" + rule.host + "]";
  if (rule.subdomains) return "*." + host;
  if (rule.port) return host + ":" + std::to_string(*rule.port);
  return host;
}

bool rule_covers(const DomainRule& rule, std::string_view host, std::uint16_t port) {
  if (rule.port && *rule.port != port) return false;
  if (host == rule.host) return true;
  return rule.subdomains && host.size() > rule.host.size() && host.ends_with(rule.host) &&
         host[host.size() - rule.host.size() - 1] == '.';
}

bool rule_covers_url(const DomainRule& rule, std::string_view url) {
  auto parsed = http::parse_absolute_url(url);
  if (!parsed) return false;
  auto target = http::target_of(*parsed);
  if (!target) return false;
  return rule_covers(rule, target->host, target->port);
}

DomainRule config_domain_rule(std::string domain) {
  return DomainRule{signatures::to_lower(domain), std::nullopt, true};
}

BlockList::BlockList(std::vector<DomainRule> fixed)
    : fixed_(std::move(fixed)), snapshot_(std::make_shared<Snapshot>(Snapshot{fixed_, {}})) {}

void BlockList::update(std::vector<DomainRule> rules, std::vector<std::string> suspended_actors) {
  auto next = std::make_shared<Snapshot>();
  next->rules = fixed_;
  next->rules.insert(next->rules.end(), std::make_move_iterator(rules.begin()),
                     std::make_move_iterator(rules.end()));
  next->suspended.insert(std::make_move_iterator(suspended_actors.begin()),
                         std::make_move_iterator(suspended_actors.end()));
  std::lock_guard lock(mutex_);
  snapshot_ = std::move(next);
}

std::shared_ptr<const BlockList::Snapshot> BlockList::snapshot() const {
  std::lock_guard lock(mutex_);
  return snapshot_;
}

bool BlockList::blocks_url(std::string_view url) const {
  auto current = snapshot();
  if (current->rules.empty()) return false;
  auto parsed = http::parse_absolute_url(url);
  if (!parsed) return false;
  auto target = http::target_of(*parsed);
  if (!target) return false;
  return std::any_of(current->rules.begin(), current->rules.end(), [&](const DomainRule& rule) {
    return rule_covers(rule, target->host, target->port);
  });
}

Blocked BlockList::check_actor(std::string_view actor_or_key_id) const {
  if (blocks_url(actor_or_key_id)) return Blocked::domain;
  auto current = snapshot();
  if (current->suspended.empty()) return Blocked::no;
  const std::string actor = http::strip_fragment(actor_or_key_id);
  return current->suspended.contains(actor) ? Blocked::actor : Blocked::no;
}

}  // namespace civicpub::federation
