// Domain blocks (federation.blocked_domains): one rule for every path content takes in, the
// inbox door and every fetch (actors, keys, posts, parents, backfill, refetches), so that a
// blocked server's content cannot come in through someone else's hands either.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace civicpub::federation {

// Whether `url`'s host is one of `domains` (lowercase) or a subdomain of one. Text that is no
// http(s) URL is not blocked here (the callers refuse it for other reasons).
bool is_blocked_url(std::string_view url, const std::vector<std::string>& domains);

// The domains, lowercased, so that a configured "Remote.Example" blocks remote.example.
std::vector<std::string> normalized_domains(std::vector<std::string> domains);

}  // namespace civicpub::federation
