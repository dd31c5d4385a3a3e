#include "server/routes/inbox.hpp"

#include "federation/federation_error.hpp"
#include "federation/inbox/inbox_queue.hpp"
#include "server/http/response.hpp"

#include <string>

namespace civicpub::server::routes {
namespace {

namespace bhttp = boost::beast::http;

federation::InboundRequest inbound_from(const http::RequestContext& ctx) {
  federation::InboundRequest in;
  in.method = std::string(ctx.req.method_string());
  in.target = std::string(ctx.target());
  in.scheme = ctx.scheme;
  // authority stays empty: the inbox uses the configured host, never the client's Host header.
  for (const auto& field : ctx.req) in.headers.add(field.name_string(), field.value());
  in.body = std::string(ctx.body());
  in.peer = ctx.remote_address;
  return in;
}

http::Response retry_later(bhttp::status status, const boost::system::error_code& ec,
                           std::chrono::seconds after) {
  auto res = http::error_response(status, ec.message());
  res.set(bhttp::field::retry_after, std::to_string(after.count()));
  return res;
}

}  // namespace

void register_inbox_routes(http::Router& router, federation::Inbox& inbox) {
  auto handle = [&inbox](http::RequestContext& ctx,
                         bool personal) -> boost::asio::awaitable<http::Response> {
    auto request = inbound_from(ctx);
    if (personal) request.username = std::string(ctx.param("name"));
    auto accepted = co_await inbox.accept(request);
    if (accepted.has_error() && accepted.error() == federation::FederationError::queue_full) {
      // The sender has enough waiting here already: it retries later (Mastodon does on 429).
      co_return retry_later(bhttp::status::too_many_requests, accepted.error(),
                            federation::kQueueFullRetryAfter);
    }
    if (accepted.has_error() && accepted.error() == federation::FederationError::key_fetch_busy) {
      co_return retry_later(bhttp::status::service_unavailable, accepted.error(),
                            federation::kKeyFetchBusyRetryAfter);
    }
    if (!accepted) {
      co_return http::error_response(kind_of(accepted.error()), accepted.error().message());
    }
    co_return http::json_response(bhttp::status::accepted, "{}");
  };
  const http::RouteOptions options{
      {"application/activity+json", "application/ld+json", "application/json"}};
  router.add(
      bhttp::verb::post, "/users/{name}/inbox",
      [handle](http::RequestContext& ctx) { return handle(ctx, true); }, options);
  router.add(
      bhttp::verb::post, "/inbox",
      [handle](http::RequestContext& ctx) { return handle(ctx, false); }, options);
}

}  // namespace civicpub::server::routes
