#include "federation/http/exchange.hpp"

#include <boost/beast/core/string.hpp>

#include <algorithm>
#include <cctype>

namespace civicpub::federation::http {
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

OutboundMessage build_request(const Target& target, const OutboundRequest& request,
                              const std::string& user_agent) {
  OutboundMessage message{request.method, target.path_and_query, 11};
  for (const auto& [name, value] : request.headers) {
    // Framing is ours to compute; a caller's copy could contradict the body.
    if (beast::iequals(name, "content-length") || beast::iequals(name, "transfer-encoding")) {
      continue;
    }
    message.insert(name, value);
  }
  if (message.find(bhttp::field::user_agent) == message.end() && !user_agent.empty()) {
    message.set(bhttp::field::user_agent, user_agent);
  }
  message.body() = request.body;
  if (!request.body.empty() || request.method == bhttp::verb::post ||
      request.method == bhttp::verb::put || request.method == bhttp::verb::patch) {
    message.prepare_payload();
  }
  return message;
}

OutboundResponse to_outbound(bhttp::response<bhttp::string_body>&& res) {
  OutboundResponse out;
  out.status = res.result_int();
  for (const auto& field : res) {
    std::string name(field.name_string());
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    out.headers.emplace_back(std::move(name), std::string(field.value()));
  }
  out.body = std::move(res.body());
  return out;
}

HttpError classify_io_error(const boost::system::error_code& ec, HttpError otherwise) {
  if (ec == beast::error::timeout) return HttpError::timeout;
  if (ec == bhttp::error::body_limit || ec == bhttp::error::header_limit ||
      ec == bhttp::error::buffer_overflow) {
    return HttpError::too_large;
  }
  return otherwise;
}

}  // namespace civicpub::federation::http
