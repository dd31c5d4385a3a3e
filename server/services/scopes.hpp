// OAuth scopes as Mastodon defines them (docs.joinmastodon.org/api/oauth-scopes): the top-level
// `read`, `write`, `follow`, `push`, `profile`, and sub-scopes `read:statuses`, `write:statuses`,
// ... A top-level scope grants all its sub-scopes; the deprecated `follow` grants read:follows,
// read:blocks, read:mutes, write:follows, write:blocks and write:mutes; `profile` is granted by
// read and read:accounts too.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace civicpub::server::services {

class ScopeSet {
 public:
  ScopeSet() = default;

  // Space-separated (also '+', which some clients leave in form bodies). Empty text: `read`
  // (Mastodon's default). nullopt when any scope is unknown or there are more than 64.
  static std::optional<ScopeSet> parse(std::string_view text);

  // Does this set grant `needed` (a top-level scope or a sub-scope)?
  bool grants(std::string_view needed) const;
  // Is every scope of `other` also in this set (each one granted by this set)?
  bool covers(const ScopeSet& other) const;

  const std::vector<std::string>& scopes() const { return scopes_; }
  std::string text() const;  // space-separated, in the order given

 private:
  std::vector<std::string> scopes_;
};

bool is_known_scope(std::string_view scope);

}  // namespace civicpub::server::services
