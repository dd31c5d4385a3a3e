#include "federation/http/transport.hpp"

#include <boost/beast/core/string.hpp>

#include <algorithm>

namespace civicpub::federation::http {
namespace {

using Headers = std::vector<std::pair<std::string, std::string>>;

std::optional<std::string_view> find_header(const Headers& headers, std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (boost::beast::iequals(key, name)) return std::string_view(value);
  }
  return std::nullopt;
}

}  // namespace

Transport::~Transport() = default;

void OutboundRequest::set_header(std::string_view name, std::string value) {
  std::erase_if(headers, [&](const auto& h) { return boost::beast::iequals(h.first, name); });
  headers.emplace_back(std::string(name), std::move(value));
}

std::optional<std::string_view> OutboundRequest::header(std::string_view name) const {
  return find_header(headers, name);
}

std::optional<std::string_view> OutboundResponse::header(std::string_view name) const {
  return find_header(headers, name);
}

}  // namespace civicpub::federation::http
