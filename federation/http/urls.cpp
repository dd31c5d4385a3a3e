#include "federation/http/urls.hpp"

#include "federation/http/url_target.hpp"

namespace civicpub::federation::http {

std::string strip_fragment(std::string_view uri) {
  return std::string(uri.substr(0, uri.find('#')));
}

std::optional<std::string> origin_of(std::string_view url) {
  auto parsed = parse_absolute_url(url);
  if (!parsed) return std::nullopt;
  auto target = target_of(*parsed);
  if (!target) return std::nullopt;
  return std::string(target->tls ? "https://" : "http://") + target->authority;
}

std::optional<std::string> authority_of(std::string_view url) {
  auto parsed = parse_absolute_url(url);
  if (!parsed) return std::nullopt;
  auto target = target_of(*parsed);
  if (!target) return std::nullopt;
  return target->authority;
}

std::optional<std::string> host_of(std::string_view url) {
  auto parsed = parse_absolute_url(url);
  if (!parsed) return std::nullopt;
  auto target = target_of(*parsed);
  if (!target) return std::nullopt;
  return target->host;
}

}  // namespace civicpub::federation::http
