// Writing one request and reading one response on an open stream, with the deadlines and the
// body cap of ClientSettings. A template because plain and TLS connections share it.
#pragma once

#include "federation/http/error.hpp"
#include "federation/http/http_client.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

namespace civicpub::federation::http {

using OutboundMessage = boost::beast::http::request<boost::beast::http::string_body>;

struct ExchangeResult {
  boost::system::error_code error;  // HttpError
  bool nothing_received = false;    // failed before any response byte (dead pooled connection)
  bool keep_alive = false;          // the connection may serve another request
  OutboundResponse response;
};

// The wire request for one hop: headers as given (the sign hook has run), User-Agent unless
// set, Content-Length computed here.
OutboundMessage build_request(const Target& target, const OutboundRequest& request,
                              const std::string& user_agent);

// The response part of an exchange: status, lowercase headers, body.
OutboundResponse to_outbound(boost::beast::http::response<boost::beast::http::string_body>&& res);

// Read and write failures as HttpError: deadline -> timeout, parser limits -> too_large.
HttpError classify_io_error(const boost::system::error_code& ec, HttpError otherwise);

inline constexpr std::uint32_t kMaxResponseHeaderBytes = 16 * 1024;

template <class Stream>
boost::asio::awaitable<ExchangeResult> exchange(Stream& stream, boost::beast::tcp_stream& tcp,
                                                const OutboundMessage& message,
                                                const ClientSettings& settings) {
  namespace asio = boost::asio;
  namespace bhttp = boost::beast::http;
  ExchangeResult result;

  tcp.expires_after(settings.write_timeout);
  auto [write_ec, written] =
      co_await bhttp::async_write(stream, message, asio::as_tuple(asio::use_awaitable));
  if (write_ec) {
    result.error = classify_io_error(write_ec, HttpError::write_failed);
    result.nothing_received = true;
    co_return result;
  }

  // A fresh parser per response with explicit limits (the Beast examples' rule).
  boost::beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(settings.max_response_bytes);
  parser.header_limit(kMaxResponseHeaderBytes);
  if (message.method() == bhttp::verb::head) parser.skip(true);
  tcp.expires_after(settings.read_timeout);
  auto [read_ec, read] =
      co_await bhttp::async_read(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
  tcp.expires_never();  // an idle pooled connection must not be closed by a stale deadline
  if (read_ec) {
    result.error = classify_io_error(read_ec, HttpError::read_failed);
    result.nothing_received = buffer.size() == 0 && !parser.got_some();
    co_return result;
  }
  result.keep_alive = parser.get().keep_alive() && !parser.need_eof() && buffer.size() == 0;
  result.response = to_outbound(parser.release());
  co_return result;
}

}  // namespace civicpub::federation::http
