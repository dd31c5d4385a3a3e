#include "federation/http/http_client.hpp"

#include "federation/http/error.hpp"
#include "federation/http/exchange.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/string.hpp>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <stdexcept>

namespace civicpub::federation::http {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

namespace {

bool is_followed_redirect(unsigned status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

asio::ssl::context make_tls_context(const ClientSettings& settings) {
  asio::ssl::context context(asio::ssl::context::tls_client);
  SSL_CTX_set_min_proto_version(context.native_handle(), TLS1_2_VERSION);
  context.set_verify_mode(asio::ssl::verify_peer);
  // The system's CA bundle is added on the first https connection (ensure_system_cas): parsed,
  // its ~140 certificates take about 0.7 MB of heap, which an instance that has not yet fetched
  // over https (a quiet town just started, every test) need not hold.
  if (settings.extra_ca_file) {
    boost::system::error_code ec;
    context.load_verify_file(*settings.extra_ca_file, ec);
    if (ec) {
      throw std::runtime_error("federation: cannot load the extra CA file " +
                               *settings.extra_ca_file + ": " + ec.message());
    }
  }
  return context;
}

// A 303 answer to a POST means "GET the result over there" (RFC 9110 15.4.4); the body and the
// headers that describe it do not travel on.
void turn_into_get(OutboundRequest& request) {
  request.method = bhttp::verb::get;
  request.body.clear();
  std::erase_if(request.headers, [](const auto& h) {
    return beast::iequals(h.first, "content-type") || beast::iequals(h.first, "digest") ||
           beast::iequals(h.first, "content-length");
  });
}

}  // namespace

HttpClient::HttpClient(asio::any_io_executor executor, ClientSettings settings)
    : executor_(executor),
      settings_(std::move(settings)),
      resolver_(executor, AddressGuard(settings_.allow_private), settings_.host_overrides,
                settings_.resolve_timeout),
      tls_(make_tls_context(settings_)),
      pool_(settings_.max_idle_per_host, settings_.idle_ttl, settings_.max_idle_total) {}

std::size_t HttpClient::idle_connections(std::string_view url) const {
  auto parsed = parse_absolute_url(url);
  if (!parsed) return 0;
  auto target = target_of(*parsed);
  return target ? pool_.idle_count(target->pool_key()) : 0;
}

asio::awaitable<Result<OutboundResponse>> HttpClient::send(OutboundRequest request) {
  auto parsed = parse_absolute_url(request.url);
  if (!parsed) co_return parsed.error();
  boost::urls::url current = std::move(*parsed);

  for (int hop = 0;; ++hop) {
    auto target = target_of(current);
    if (!target) co_return target.error();
    request.url = std::string(current.buffer());
    request.set_header("Host", target->authority);
    if (request.sign) request.sign(request, current);

    auto response = co_await round_trip(*target, request);
    if (!response) co_return response.error();
    if (!is_followed_redirect(response->status)) {
      response->final_url = request.url;
      co_return response;
    }
    if (hop >= settings_.max_redirects) co_return HttpError::too_many_redirects;
    auto location = response->header("location");
    if (!location) co_return HttpError::bad_redirect;
    // Scheme and addresses of the next hop are checked again by target_of() and open().
    auto next = redirect_target(current, *location);
    if (!next) co_return next.error();
    if (response->status == 303 && request.method != bhttp::verb::head) turn_into_get(request);
    current = std::move(*next);
  }
}

asio::awaitable<Result<OutboundResponse>> HttpClient::round_trip(const Target& target,
                                                                 const OutboundRequest& request) {
  const auto message = build_request(target, request, settings_.user_agent);
  const auto key = target.pool_key();
  auto connection = pool_.take(key);
  bool reused = connection != nullptr;
  for (;;) {
    if (!connection) {
      auto opened = co_await open(target);
      if (!opened) co_return opened.error();
      connection = std::move(*opened);
    }
    // No co_await inside ?: — GCC 12 miscompiles awaits in conditional expressions.
    ExchangeResult result;
    if (connection->tls) {
      result = co_await exchange(*connection->tls, connection->tcp(), message, settings_);
    } else {
      result = co_await exchange(*connection->plain, connection->tcp(), message, settings_);
    }
    if (result.error) {
      // A pooled connection the peer closed while it sat idle fails before any response byte;
      // one fresh attempt is safe because deliveries are idempotent by activity id. A timeout
      // is no sign of a dead connection, and retrying it would double the wait.
      if (reused && result.nothing_received && result.error != HttpError::timeout) {
        reused = false;
        connection.reset();
        continue;
      }
      co_return result.error;
    }
    if (result.keep_alive) pool_.put(key, std::move(connection));
    co_return std::move(result.response);
  }
}

asio::awaitable<Result<std::unique_ptr<Connection>>> HttpClient::open(const Target& target) {
  auto endpoints = co_await resolver_.resolve(target.host, target.port);
  if (!endpoints) co_return endpoints.error();

  beast::tcp_stream tcp(executor_);
  tcp.expires_after(settings_.connect_timeout);
  auto [ec, endpoint] = co_await tcp.async_connect(*endpoints, asio::as_tuple(asio::use_awaitable));
  if (ec) co_return ec == beast::error::timeout ? HttpError::timeout : HttpError::connect_failed;

  auto connection = std::make_unique<Connection>();
  if (!target.tls) {
    connection->plain.emplace(std::move(tcp));
    co_return connection;
  }
  ensure_system_cas();
  connection->tls.emplace(std::move(tcp), tls_);
  auto shaken = co_await handshake(*connection, target);
  if (!shaken) co_return shaken.error();
  co_return connection;
}

void HttpClient::ensure_system_cas() {
  // call_once: every connection made after it returns sees the full store; OpenSSL's store
  // takes its own lock for lookups during handshakes on other threads.
  std::call_once(system_cas_, [this] {
    if (SSL_CTX_set_default_verify_paths(tls_.native_handle()) != 1) {
      // Without them every https fetch fails its certificate check (tls_failed), which the
      // callers report per request; nothing to do here but keep going.
      ERR_clear_error();
    }
  });
}

asio::awaitable<Result<void>> HttpClient::handshake(Connection& connection, const Target& target) {
  SSL* ssl = connection.tls->native_handle();
  // SNI only for names (RFC 6066 forbids IP literals); OpenSSL checks the certificate against
  // the name or the IP address during chain verification.
  bool configured = target.host_is_ip ? X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl),
                                                                      target.host.c_str()) == 1
                                      : SSL_set_tlsext_host_name(ssl, target.host.c_str()) == 1 &&
                                            SSL_set1_host(ssl, target.host.c_str()) == 1;
  if (!configured) co_return HttpError::tls_failed;

  connection.tcp().expires_after(settings_.handshake_timeout);
  auto [ec] = co_await connection.tls->async_handshake(asio::ssl::stream_base::client,
                                                       asio::as_tuple(asio::use_awaitable));
  if (ec) co_return ec == beast::error::timeout ? HttpError::timeout : HttpError::tls_failed;
  co_return Result<void>{};
}

}  // namespace civicpub::federation::http
