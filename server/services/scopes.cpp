#include "server/services/scopes.hpp"

#include <algorithm>
#include <array>

namespace civicpub::server::services {
namespace {

constexpr std::array<std::string_view, 7> kTopLevel = {"read",    "write", "follow", "push",
                                                       "profile", "admin:read", "admin:write"};
constexpr std::array<std::string_view, 13> kReadSubs = {
    "accounts", "blocks",        "bookmarks", "favourites", "filters", "follows", "lists",
    "mutes",    "notifications", "search",    "statuses",   "reports", "conversations"};
constexpr std::array<std::string_view, 14> kWriteSubs = {
    "accounts", "blocks", "bookmarks", "conversations", "favourites", "filters", "follows",
    "lists",    "media",  "mutes",     "notifications", "reports",    "statuses", "tags"};
constexpr std::array<std::string_view, 6> kFollowGrants = {
    "read:follows", "read:blocks", "read:mutes", "write:follows", "write:blocks", "write:mutes"};

template <class Array>
bool contains(const Array& a, std::string_view s) {
  return std::find(a.begin(), a.end(), s) != a.end();
}

}  // namespace

bool is_known_scope(std::string_view scope) {
  if (contains(kTopLevel, scope)) return true;
  if (scope.starts_with("read:")) return contains(kReadSubs, scope.substr(5));
  if (scope.starts_with("write:")) return contains(kWriteSubs, scope.substr(6));
  return false;
}

std::optional<ScopeSet> ScopeSet::parse(std::string_view text) {
  ScopeSet set;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto end = text.find_first_of(" +", i);
    const auto word = text.substr(i, end == std::string_view::npos ? text.size() - i : end - i);
    if (!word.empty()) {
      if (!is_known_scope(word) || set.scopes_.size() >= 64) return std::nullopt;
      if (!contains(set.scopes_, word)) set.scopes_.emplace_back(word);
    }
    if (end == std::string_view::npos) break;
    i = end + 1;
  }
  if (set.scopes_.empty()) set.scopes_.emplace_back("read");
  return set;
}

bool ScopeSet::grants(std::string_view needed) const {
  if (contains(scopes_, needed)) return true;
  const auto colon = needed.find(':');
  if (colon != std::string_view::npos && contains(scopes_, needed.substr(0, colon))) return true;
  if (contains(scopes_, std::string_view("follow")) && contains(kFollowGrants, needed)) return true;
  if (needed == "profile") return grants("read:accounts");
  return false;
}

bool ScopeSet::covers(const ScopeSet& other) const {
  return std::all_of(other.scopes_.begin(), other.scopes_.end(),
                     [this](const std::string& s) { return grants(s); });
}

std::string ScopeSet::text() const {
  std::string out;
  for (const auto& s : scopes_) {
    if (!out.empty()) out += ' ';
    out += s;
  }
  return out;
}

}  // namespace civicpub::server::services
