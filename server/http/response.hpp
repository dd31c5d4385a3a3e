// Building responses, and the one place mapping error kinds to HTTP statuses (STYLE.md rule 4).
#pragma once

#include "server/http/request.hpp"
#include "common/error_kind.hpp"

#include <boost/beast/http/status.hpp>

#include <string>
#include <string_view>

namespace civicpub::server::http {

// A response with `body` (already serialized JSON) and the given JSON content type. The session
// sets the HTTP version, keep-alive and Content-Length before sending.
Response json_response(boost::beast::http::status status, std::string body,
                       std::string_view content_type = "application/json");

// {"error": "<message>"} with Content-Type application/json. `message` is shown to the client:
// keep it short and safe; the detail belongs in the log (STYLE.md rule 5).
Response error_response(boost::beast::http::status status, std::string_view message);

// `res` as it goes on the wire: status line, header fields, body. The caller has set the version,
// keep-alive and Content-Length (prepare_payload).
std::string serialize(const Response& res);

// The HTTP status for an error kind: invalid_input 400, not_found 404, conflict 409,
// unauthorized 401, forbidden 403, gone 410, too_large 413, unsupported 415, transient 503,
// internal 500.
boost::beast::http::status status_for(civicpub::ErrorKind kind);

// error_response(status_for(kind), message).
Response error_response(civicpub::ErrorKind kind, std::string_view message);

}  // namespace civicpub::server::http
