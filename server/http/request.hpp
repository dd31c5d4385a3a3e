// What a route handler sees of a request. The session fills a RequestContext per request; handlers
// read it and return a Response (see router.hpp).
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace civicpub::server::http {

using Request = boost::beast::http::request<boost::beast::http::string_body>;
using Response = boost::beast::http::response<boost::beast::http::string_body>;

struct RequestContext {
  // The request exactly as parsed: req.body() holds the body bytes as received (signatures and
  // digests are computed over them), req.target() the request-target as received.
  const Request& req;
  // The client's address: the peer, or (behind a trusted proxy) the X-Forwarded-For client.
  std::string remote_address;
  // "http" or "https" as the client sees it, after trusted-proxy handling.
  std::string scheme;
  // Effective host[:port]: X-Forwarded-Host (trusted proxy only), else Host, else the server's
  // default_host. Client-controlled: never build object ids from it, use the configured domain.
  std::string host;
  // The target split at the first '?', neither part percent-decoded.
  std::string path;
  std::string query;
  // Path parameters of the matched route pattern, percent-decoded ("/users/{name}" -> "name").
  std::unordered_map<std::string, std::string> params;

  std::string_view body() const { return req.body(); }
  std::string_view target() const { return req.target(); }

  // A header's value, if present (first occurrence).
  std::optional<std::string_view> header(std::string_view name) const {
    auto it = req.find(name);
    if (it == req.end()) return std::nullopt;
    return it->value();
  }

  // A path parameter; empty when the route has none of that name.
  std::string_view param(const std::string& name) const {
    auto it = params.find(name);
    return it == params.end() ? std::string_view{} : std::string_view{it->second};
  }
};

}  // namespace civicpub::server::http
