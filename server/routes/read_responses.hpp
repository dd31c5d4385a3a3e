// Response building shared by the read endpoints: the AS2 and HTML twins of one URL, errors for
// machines and for browsers, and the query parameters the read endpoints take.
#pragma once

#include "server/routes/read_deps.hpp"
#include "server/http/request.hpp"

#include <boost/beast/http/status.hpp>
#include <boost/system/error_code.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace civicpub::server::routes {

enum class Format { activity_json, html };

// Which twin the client asked for (server/http/negotiation.hpp): AS2 for activity+json and
// ld+json, HTML for browsers and anything else.
Format negotiated_format(const http::RequestContext& ctx);

// `application/activity+json` exactly: Mastodon ignores application/json (INTEROP.md section 1).
http::Response activity_response(boost::beast::http::status status, std::string body);

// text/html with the pages' Content-Security-Policy.
http::Response html_response(boost::beast::http::status status, std::string body);

// 302 to `location` (the canonical URL of what was asked for).
http::Response redirect_response(std::string_view location);

// A failed read, answered in `format`: {"error"} JSON or the error page. Kinds map to statuses
// in the one place (http::status_for); internal and transient failures are logged with detail
// and shown only as "internal error".
http::Response read_failure(const ReadDeps& deps, const http::RequestContext& ctx,
                            const boost::system::error_code& ec, Format format);

// Adds `Vary: Accept` (every negotiated URL, whichever twin and status it answers: caches must
// not hand the HTML to a server or the JSON to a browser).
http::Response vary_accept(http::Response res);

// The raw (not percent-decoded) value of the first `name=` parameter of a query string.
std::optional<std::string_view> query_param(std::string_view query, std::string_view name);

// The `page` parameter: absent -> nullopt (the collection itself); "true" (Mastodon's spelling)
// -> 1; a positive number -> it. Anything else -> an invalid_input error.
Result<std::optional<std::uint64_t>> page_param(std::string_view query);

}  // namespace civicpub::server::routes
