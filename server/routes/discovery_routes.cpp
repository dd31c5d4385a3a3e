#include "server/routes/discovery_routes.hpp"
#include "federation/convert/actor.hpp"

#include "federation/as2/json.hpp"
#include "federation/as2/nodeinfo.hpp"
#include "federation/as2/webfinger.hpp"
#include "server/views/discovery.hpp"
#include "server/routes/read_responses.hpp"
#include "server/html/home_page.hpp"
#include "server/http/response.hpp"

namespace civicpub::server::routes {
namespace {

namespace as2 = federation::as2;
namespace convert = civicpub::federation::convert;
namespace bhttp = boost::beast::http;
using boost::asio::awaitable;
using http::RequestContext;
using http::Response;

Response cors(Response res) {
  res.set(bhttp::field::access_control_allow_origin, "*");
  return res;
}

Response json_failure(const ReadDeps& deps, const RequestContext& ctx,
                      const boost::system::error_code& ec) {
  return cors(read_failure(deps, ctx, ec, Format::activity_json));
}

awaitable<Response> webfinger(const ReadDeps& deps, RequestContext& ctx) {
  const auto resource = query_param(ctx.query, "resource");
  if (!resource || resource->empty()) {
    co_return cors(http::error_response(bhttp::status::bad_request, "resource is required"));
  }
  auto actor = server::views::resolve_webfinger(deps.db, deps.instance, *resource);
  if (!actor) co_return json_failure(deps, ctx, actor.error());
  co_return cors(http::json_response(bhttp::status::ok, convert::render_jrd(*actor, deps.instance),
                                     as2::kJrdJson));
}

awaitable<Response> host_meta(const ReadDeps& deps, RequestContext&) {
  co_return cors(
      http::json_response(bhttp::status::ok, as2::render_host_meta(deps.instance), as2::kXrdXml));
}

awaitable<Response> nodeinfo_links(const ReadDeps& deps, RequestContext&) {
  co_return cors(http::json_response(bhttp::status::ok, as2::render_nodeinfo_links(deps.instance)));
}

awaitable<Response> nodeinfo(const ReadDeps& deps, RequestContext& ctx,
                             as2::NodeInfoVersion version) {
  auto usage = server::views::node_usage(deps.db, deps.instance, deps.clock());
  if (!usage) co_return json_failure(deps, ctx, usage.error());
  co_return cors(http::json_response(bhttp::status::ok,
                                     as2::render_nodeinfo(version, deps.instance, *usage),
                                     as2::nodeinfo_content_type(version)));
}

awaitable<Response> front_page(const ReadDeps& deps, RequestContext& ctx) {
  auto accounts = server::views::listed_accounts(deps.db, deps.instance, kFrontPageAccounts);
  if (!accounts) co_return read_failure(deps, ctx, accounts.error(), Format::html);
  co_return html_response(bhttp::status::ok, html::home_page(deps.instance, *accounts));
}

}  // namespace

void register_discovery_routes(http::Router& router, const ReadDeps& deps) {
  using bhttp::verb;
  router.add(verb::get, "/.well-known/webfinger",
             [deps](RequestContext& ctx) { return webfinger(deps, ctx); },
             {.accepted_content_types = {}, .cache_documents = true});
  router.add(verb::get, "/.well-known/host-meta",
             [deps](RequestContext& ctx) { return host_meta(deps, ctx); });
  router.add(verb::get, "/.well-known/nodeinfo",
             [deps](RequestContext& ctx) { return nodeinfo_links(deps, ctx); });
  router.add(verb::get, std::string(as2::kNodeInfo20Path), [deps](RequestContext& ctx) {
    return nodeinfo(deps, ctx, as2::NodeInfoVersion::v2_0);
  });
  router.add(verb::get, std::string(as2::kNodeInfo21Path), [deps](RequestContext& ctx) {
    return nodeinfo(deps, ctx, as2::NodeInfoVersion::v2_1);
  });
  router.add(verb::get, "/", [deps](RequestContext& ctx) { return front_page(deps, ctx); });
}

}  // namespace civicpub::server::routes
