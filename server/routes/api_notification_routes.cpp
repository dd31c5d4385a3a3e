#include "server/routes/api_notification_routes.hpp"

#include "server/http/response.hpp"
#include "server/routes/api_paging.hpp"
#include "server/services/notifications.hpp"
#include "server/views/api_notifications.hpp"

namespace civicpub::server::routes {
namespace asio = boost::asio;
namespace bhttp = boost::beast::http;

namespace {

constexpr int kMaxTypes = 16;

// types[] and exclude_types[] (unknown names are ignored, as Mastodon does), and the same
// parameters for the Link header.
views::NotificationFilter filter_of(const Params& params, std::string& kept) {
  views::NotificationFilter filter;
  for (const char* name : {"types", "exclude_types"}) {
    auto& list = std::string_view(name) == "types" ? filter.types : filter.exclude;
    for (auto& type : params.all(name)) {
      if (!services::is_notification_type(type) || list.size() >= kMaxTypes) continue;
      kept += std::string(name) + "%5B%5D=" + type + "&";
      list.push_back(std::move(type));
    }
  }
  return filter;
}

asio::awaitable<http::Response> list(const ApiDeps& deps, http::RequestContext& ctx,
                                     bool grouped) {
  auto authorized = authorize(deps, ctx, "read:notifications");
  if (auto* res = std::get_if<http::Response>(&authorized)) co_return std::move(*res);
  const auto& grant = std::get<services::TokenGrant>(authorized);
  auto params = Params::from_query(ctx.query);
  if (!params) co_return http::error_response(bhttp::status::bad_request, "malformed query");
  std::string kept;
  const auto filter = filter_of(*params, kept);
  const auto query = page_query(*params, 80);
  if (!grouped) {
    const auto page = views::notifications_page(deps.db, grant.account->id, filter, query,
                                                api_view(deps, &grant));
    co_return page_answer(deps, ctx, *params, query, std::move(kept), page);
  }
  auto grouped_types = params->all("grouped_types");
  if (grouped_types.empty()) grouped_types = {"favourite", "follow", "reblog"};
  const auto page = views::grouped_notifications_page(deps.db, grant.account->id, filter,
                                                      grouped_types, query, api_view(deps, &grant));
  co_return page_answer(deps, ctx, *params, query, std::move(kept), page);
}

asio::awaitable<http::Response> get_one(const ApiDeps& deps, http::RequestContext& ctx) {
  auto authorized = authorize(deps, ctx, "read:notifications");
  if (auto* res = std::get_if<http::Response>(&authorized)) co_return std::move(*res);
  const auto& grant = std::get<services::TokenGrant>(authorized);
  auto json = views::notification_json(deps.db, grant.account->id, ctx.param("id"),
                                       api_view(deps, &grant));
  if (!json) co_return api_error(deps, ctx, json.error());
  co_return api_json(std::move(*json));
}

asio::awaitable<http::Response> dismiss(const ApiDeps& deps, http::RequestContext& ctx) {
  auto authorized = authorize(deps, ctx, "write:notifications");
  if (auto* res = std::get_if<http::Response>(&authorized)) co_return std::move(*res);
  const auto& grant = std::get<services::TokenGrant>(authorized);
  const auto id = views::parse_id(ctx.param("id"));
  if (!id) co_return http::error_response(bhttp::status::not_found, "Record not found");
  auto dismissing = services::dismiss_notification(deps.db, grant.account->id, *id);
  auto done = co_await std::move(dismissing);
  if (!done) co_return api_error(deps, ctx, done.error());
  co_return api_json("{}");
}

asio::awaitable<http::Response> clear(const ApiDeps& deps, http::RequestContext& ctx) {
  auto authorized = authorize(deps, ctx, "write:notifications");
  if (auto* res = std::get_if<http::Response>(&authorized)) co_return std::move(*res);
  const auto& grant = std::get<services::TokenGrant>(authorized);
  auto clearing = services::clear_notifications(deps.db, grant.account->id);
  auto done = co_await std::move(clearing);
  if (!done) co_return api_error(deps, ctx, done.error());
  co_return api_json("{}");
}

}  // namespace

void register_api_notification_routes(http::Router& router, const ApiDeps& deps) {
  const ApiDeps* d = &deps;
  router.add(bhttp::verb::get, "/api/v1/notifications",
             [d](http::RequestContext& ctx) { return list(*d, ctx, false); });
  router.add(bhttp::verb::get, "/api/v2/notifications",
             [d](http::RequestContext& ctx) { return list(*d, ctx, true); });
  router.add(bhttp::verb::get, "/api/v1/notifications/{id}",
             [d](http::RequestContext& ctx) { return get_one(*d, ctx); });
  // No body is read: any (or none, as Mastodon.py sends) is accepted.
  router.add(bhttp::verb::post, "/api/v1/notifications/clear",
             [d](http::RequestContext& ctx) { return clear(*d, ctx); });
  router.add(bhttp::verb::post, "/api/v1/notifications/{id}/dismiss",
             [d](http::RequestContext& ctx) { return dismiss(*d, ctx); });
}

}  // namespace civicpub::server::routes
