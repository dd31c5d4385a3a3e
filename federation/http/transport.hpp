// The outbound HTTP seam. Everything in federation/ that fetches or delivers talks to a
// Transport, so tests substitute a fake and production uses HttpClient (http_client.hpp).
#pragma once

#include "common/error_kind.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/verb.hpp>
#include <boost/url/url_view.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace civicpub::federation::http {

struct OutboundRequest;

// Called before every hop, the first included, with the URL of that hop: a redirect changes
// the target, so Host, Date and Signature must be computed again (INTEROP.md section 2). The
// transport has already set `Host` for the hop when this runs.
using SignHook = std::function<void(OutboundRequest&, const boost::urls::url_view&)>;

struct OutboundRequest {
  boost::beast::http::verb method = boost::beast::http::verb::get;
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  SignHook sign;  // empty: send unsigned

  // Replaces every header named `name` (case-insensitive) by one with `value`.
  void set_header(std::string_view name, std::string value);
  // The first header named `name` (case-insensitive).
  std::optional<std::string_view> header(std::string_view name) const;
};

struct OutboundResponse {
  unsigned status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names in lowercase
  std::string body;
  std::string final_url;  // after redirects

  // The first header named `name` (case-insensitive).
  std::optional<std::string_view> header(std::string_view name) const;
};

class Transport {
 public:
  virtual ~Transport();
  // Expected failures (refused address, timeouts, oversized bodies, ...) are error values whose
  // kind says retry-or-drop; an HTTP error status is a successful exchange.
  virtual boost::asio::awaitable<Result<OutboundResponse>> send(OutboundRequest request) = 0;
};

}  // namespace civicpub::federation::http
