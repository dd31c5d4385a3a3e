#include "server/routes/read_responses.hpp"

#include "federation/as2/collection.hpp"
#include "federation/as2/json.hpp"
#include "server/views/error.hpp"
#include "server/html/error_page.hpp"
#include "server/html/layout.hpp"
#include "server/http/negotiation.hpp"
#include "server/http/response.hpp"

#include <spdlog/spdlog.h>

namespace civicpub::server::routes {
namespace bhttp = boost::beast::http;

Format negotiated_format(const http::RequestContext& ctx) {
  return http::wants_activity_json(ctx.header("Accept").value_or("")) ? Format::activity_json
                                                                      : Format::html;
}

http::Response activity_response(bhttp::status status, std::string body) {
  return http::json_response(status, std::move(body), federation::as2::kActivityJson);
}

http::Response html_response(bhttp::status status, std::string body) {
  http::Response res{status, 11};
  res.set(bhttp::field::content_type, "text/html; charset=utf-8");
  res.set("Content-Security-Policy", html::kContentSecurityPolicy);
  res.body() = std::move(body);
  return res;
}

http::Response redirect_response(std::string_view location) {
  http::Response res{bhttp::status::found, 11};
  res.set(bhttp::field::location, location);
  return res;
}

http::Response read_failure(const ReadDeps& deps, const http::RequestContext& ctx,
                            const boost::system::error_code& ec, Format format) {
  auto kind = kind_of(ec);
  if (kind != ErrorKind::invalid_input && kind != ErrorKind::not_found && kind != ErrorKind::gone) {
    auto& log = deps.log ? *deps.log : *spdlog::default_logger();
    log.error("read {} failed: {} ({})", ctx.path, ec.message(), ec.category().name());
    kind = ErrorKind::internal;
  }
  const auto status = http::status_for(kind);
  if (format == Format::html) {
    return html_response(status, html::error_page(deps.instance, static_cast<unsigned>(status)));
  }
  switch (kind) {
    case ErrorKind::invalid_input: return http::error_response(status, "bad request");
    case ErrorKind::not_found: return http::error_response(status, "not found");
    case ErrorKind::gone: return http::error_response(status, "gone");
    default: return http::error_response(status, "internal error");
  }
}

http::Response vary_accept(http::Response res) {
  res.set(bhttp::field::vary, "Accept");
  return res;
}

std::optional<std::string_view> query_param(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    const auto amp = query.find('&');
    const auto pair = query.substr(0, amp);
    if (pair.size() > name.size() && pair.substr(0, name.size()) == name &&
        pair[name.size()] == '=') {
      return pair.substr(name.size() + 1);
    }
    if (pair == name) return std::string_view{};
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

Result<std::optional<std::uint64_t>> page_param(std::string_view query) {
  const auto text = query_param(query, "page");
  if (!text) return std::optional<std::uint64_t>();
  if (*text == "true") return std::optional<std::uint64_t>(1);
  auto number = federation::as2::parse_page_number(*text);
  if (!number) return make_error_code(server::views::ViewError::bad_parameter);
  return std::optional<std::uint64_t>(*number);
}

}  // namespace civicpub::server::routes
