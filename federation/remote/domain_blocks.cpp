#include "federation/remote/domain_blocks.hpp"

#include "federation/http/urls.hpp"
#include "federation/signatures/header_list.hpp"

namespace civicpub::federation {

bool is_blocked_url(std::string_view url, const std::vector<std::string>& domains) {
  if (domains.empty()) return false;
  auto host = http::host_of(url);
  if (!host) return false;
  for (const auto& domain : domains) {
    if (*host == domain) return true;
    if (host->size() > domain.size() && host->ends_with(domain) &&
        (*host)[host->size() - domain.size() - 1] == '.') {
      return true;
    }
  }
  return false;
}

std::vector<std::string> normalized_domains(std::vector<std::string> domains) {
  for (auto& domain : domains) domain = signatures::to_lower(domain);
  return domains;
}

}  // namespace civicpub::federation
