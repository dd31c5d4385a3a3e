#include "server/routes/api_follow_routes.hpp"

#include "server/http/response.hpp"
#include "server/routes/api_paging.hpp"
#include "server/services/follow_requests.hpp"
#include "server/services/follow_service.hpp"
#include "server/services/service_error.hpp"
#include "server/views/api_accounts.hpp"

namespace civicpub::server::routes {
namespace asio = boost::asio;
namespace bhttp = boost::beast::http;

namespace {

http::Response relationship_answer(const ApiDeps& deps, const http::RequestContext& ctx,
                                   std::int64_t viewer, std::int64_t id) {
  auto json = views::relationship_json(deps.db, viewer, id);
  if (!json) return api_error(deps, ctx, json.error());
  return api_json(std::move(*json));
}

// follow and unfollow: services::FollowService, as `civicpub follow` / `unfollow`. Unfollowing an
// account not followed answers the relationship, as Mastodon does.
asio::awaitable<http::Response> follow(const ApiDeps& deps, http::RequestContext& ctx,
                                       bool start) {
  auto authorized = authorize(deps, ctx, "write:follows");
  if (auto* res = std::get_if<http::Response>(&authorized)) co_return std::move(*res);
  const auto grant = std::get<services::TokenGrant>(std::move(authorized));
  auto params = Params::from(ctx);
  if (!params) {
    co_return http::error_response(bhttp::status::unprocessable_entity, "malformed request body");
  }
  auto target = views::find_account(deps.db, ctx.param("id"));
  if (!target) co_return api_error(deps, ctx, target.error());
  if (target->id == grant.account->id) {
    co_return http::error_response(bhttp::status::forbidden, "This action is not allowed");
  }
  services::FollowService service(deps.db, *deps.lookup, deps.clock);
  auto running = start ? service.follow(grant.account->username, target->uri)
                       : service.unfollow(grant.account->username, target->uri);
  auto outcome = co_await std::move(running);
  if (!outcome && outcome.error() != services::ServiceError::not_following) {
    co_return api_error(deps, ctx, outcome.error());
  }
  if (outcome) {
    if (deps.wake_delivery) deps.wake_delivery();
    auto auditing = audit_write(deps, grant, start ? "follow" : "unfollow", target->uri);
    co_await std::move(auditing);
  }
  // `notify`: be told of their posts (following again with other options changes them, as on
  // Mastodon).
  if (start && params->get("notify")) {
    auto setting = services::set_follow_notify(deps.db, grant.account->id, target->id,
                                               params->flag("notify"));
    auto set = co_await std::move(setting);
    if (!set) co_return api_error(deps, ctx, set.error());
  }
  co_return relationship_answer(deps, ctx, grant.account->id, target->id);
}

asio::awaitable<http::Response> account_list(const ApiDeps& deps, http::RequestContext& ctx,
                                             views::AccountList which) {
  auto reader = optional_authorize(deps, ctx, "read:accounts");
  if (auto* res = std::get_if<http::Response>(&reader)) co_return std::move(*res);
  const auto& grant = std::get<std::optional<services::TokenGrant>>(reader);
  auto params = Params::from_query(ctx.query);
  if (!params) co_return http::error_response(bhttp::status::bad_request, "malformed query");
  const auto query = page_query(*params, 80);
  const auto page = views::account_list(deps.db, ctx.param("id"), which, query,
                                        api_view(deps, grant ? &*grant : nullptr));
  co_return page_answer(deps, ctx, *params, query, {}, page);
}

asio::awaitable<http::Response> follow_requests(const ApiDeps& deps, http::RequestContext& ctx) {
  auto authorized = authorize(deps, ctx, "read:follows");
  if (auto* res = std::get_if<http::Response>(&authorized)) co_return std::move(*res);
  const auto& grant = std::get<services::TokenGrant>(authorized);
  auto params = Params::from_query(ctx.query);
  if (!params) co_return http::error_response(bhttp::status::bad_request, "malformed query");
  const auto query = page_query(*params, 80);
  const auto page =
      views::account_list(deps.db, std::to_string(grant.account->id),
                          views::AccountList::follow_requests, query, api_view(deps, &grant));
  co_return page_answer(deps, ctx, *params, query, {}, page);
}

// authorize / reject: the same write as `civicpub account approve|reject` (Accept or Reject
// queued with the state change). An account that asked nothing: 404.
asio::awaitable<http::Response> answer_request(const ApiDeps& deps, http::RequestContext& ctx,
                                               bool approve) {
  auto authorized = authorize(deps, ctx, "write:follows");
  if (auto* res = std::get_if<http::Response>(&authorized)) co_return std::move(*res);
  const auto grant = std::get<services::TokenGrant>(std::move(authorized));
  auto follower = views::find_account(deps.db, ctx.param("id"));
  if (!follower) co_return api_error(deps, ctx, follower.error());
  auto answering = services::answer_follow_request(deps.db, follower->id, grant.account->id,
                                                   approve, deps.clock());
  auto answered = co_await std::move(answering);
  if (!answered) co_return api_error(deps, ctx, answered.error());
  if (deps.wake_delivery) deps.wake_delivery();
  auto auditing = audit_write(deps, grant, approve ? "authorize_follow" : "reject_follow",
                              follower->uri);
  co_await std::move(auditing);
  co_return relationship_answer(deps, ctx, grant.account->id, follower->id);
}

}  // namespace

void register_api_follow_routes(http::Router& router, const ApiDeps& deps) {
  // These POSTs accept any body or none (Mastodon.py sends none, without a Content-Type);
  // follow reads `notify` from a form or JSON body.
  const ApiDeps* d = &deps;
  router.add(bhttp::verb::post, "/api/v1/accounts/{id}/follow",
             [d](http::RequestContext& ctx) { return follow(*d, ctx, true); });
  router.add(bhttp::verb::post, "/api/v1/accounts/{id}/unfollow",
             [d](http::RequestContext& ctx) { return follow(*d, ctx, false); });
  router.add(bhttp::verb::get, "/api/v1/accounts/{id}/followers", [d](http::RequestContext& ctx) {
    return account_list(*d, ctx, views::AccountList::followers);
  });
  router.add(bhttp::verb::get, "/api/v1/accounts/{id}/following", [d](http::RequestContext& ctx) {
    return account_list(*d, ctx, views::AccountList::following);
  });
  router.add(bhttp::verb::get, "/api/v1/follow_requests",
             [d](http::RequestContext& ctx) { return follow_requests(*d, ctx); });
  router.add(bhttp::verb::post, "/api/v1/follow_requests/{id}/authorize",
             [d](http::RequestContext& ctx) { return answer_request(*d, ctx, true); });
  router.add(bhttp::verb::post, "/api/v1/follow_requests/{id}/reject",
             [d](http::RequestContext& ctx) { return answer_request(*d, ctx, false); });
}

}  // namespace civicpub::server::routes
