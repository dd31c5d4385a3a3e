#include "server/routes/api_reaction_routes.hpp"

#include "server/http/response.hpp"
#include "server/routes/api_paging.hpp"
#include "server/services/reaction_service.hpp"
#include "server/views/api_reactions.hpp"

namespace civicpub::server::routes {
namespace asio = boost::asio;
namespace bhttp = boost::beast::http;

namespace {

enum class Action { favourite, unfavourite, reblog, unreblog, bookmark, unbookmark };

std::string_view scope_of(Action a) {
  switch (a) {
    case Action::favourite:
    case Action::unfavourite: return "write:favourites";
    case Action::bookmark:
    case Action::unbookmark: return "write:bookmarks";
    case Action::reblog:
    case Action::unreblog: break;
  }
  return "write:statuses";
}

std::string_view name_of(Action a) {
  static constexpr std::string_view kNames[] = {"favourite", "unfavourite", "reblog",
                                                "unreblog",  "bookmark",    "unbookmark"};
  return kNames[static_cast<int>(a)];
}

// Runs the action's use case; whether something changed.
asio::awaitable<Result<bool>> run_action(const ApiDeps& deps, const services::TokenGrant& grant,
                                         const storage::PostRecord& post, Action a) {
  if (a == Action::bookmark || a == Action::unbookmark) {
    auto saving = services::set_bookmark(deps.db, grant.account->id, post.id,
                                         a == Action::bookmark, deps.clock());
    auto saved = co_await std::move(saving);
    co_return saved;
  }
  const auto kind = a == Action::favourite || a == Action::unfavourite
                        ? storage::ReactionKind::like
                        : storage::ReactionKind::announce;
  services::ReactionService service(deps.db, deps.clock);
  auto running = a == Action::favourite || a == Action::reblog
                     ? service.react(*grant.account, post, kind)
                     : service.undo(*grant.account, post, kind);
  auto done = co_await std::move(running);
  co_return done;
}

// Answers the status as the caller now sees it (for reblog: the status reblogged, with
// `reblogged` true; civicpub keeps no separate reblog status).
asio::awaitable<http::Response> act(const ApiDeps& deps, http::RequestContext& ctx, Action a) {
  auto authorized = authorize(deps, ctx, scope_of(a));
  if (auto* res = std::get_if<http::Response>(&authorized)) co_return std::move(*res);
  const auto grant = std::get<services::TokenGrant>(std::move(authorized));
  const auto view = api_view(deps, &grant);
  auto post = views::find_status(deps.db, ctx.param("id"), view);
  if (!post) co_return api_error(deps, ctx, post.error());
  if (a == Action::reblog && !services::may_reblog(*grant.account, *post)) {
    co_return http::error_response(bhttp::status::forbidden, "This action is not allowed");
  }
  auto running = run_action(deps, grant, *post, a);
  auto changed = co_await std::move(running);
  if (!changed) co_return api_error(deps, ctx, changed.error());
  if (*changed) {
    if (deps.wake_delivery) deps.wake_delivery();
    auto auditing = audit_write(deps, grant, std::string(name_of(a)), post->ap_id);
    co_await std::move(auditing);
  }
  auto json = views::status_json(deps.db, *post, view);
  if (!json) co_return api_error(deps, ctx, json.error());
  co_return api_json(std::move(*json));
}

asio::awaitable<http::Response> reacting(const ApiDeps& deps, http::RequestContext& ctx,
                                         storage::ReactionKind kind) {
  auto reader = optional_authorize(deps, ctx, "read:accounts");
  if (auto* res = std::get_if<http::Response>(&reader)) co_return std::move(*res);
  const auto& grant = std::get<std::optional<services::TokenGrant>>(reader);
  auto params = Params::from_query(ctx.query);
  if (!params) co_return http::error_response(bhttp::status::bad_request, "malformed query");
  const auto query = page_query(*params, 80);
  const auto page = views::reacting_accounts(deps.db, ctx.param("id"), kind, query,
                                             api_view(deps, grant ? &*grant : nullptr));
  co_return page_answer(deps, ctx, *params, query, {}, page);
}

asio::awaitable<http::Response> saved(const ApiDeps& deps, http::RequestContext& ctx,
                                      views::SavedList which) {
  auto authorized = authorize(
      deps, ctx, which == views::SavedList::favourites ? "read:favourites" : "read:bookmarks");
  if (auto* res = std::get_if<http::Response>(&authorized)) co_return std::move(*res);
  const auto& grant = std::get<services::TokenGrant>(authorized);
  auto params = Params::from_query(ctx.query);
  if (!params) co_return http::error_response(bhttp::status::bad_request, "malformed query");
  const auto query = page_query(*params);
  const auto page =
      views::saved_statuses(deps.db, grant.account->id, which, query, api_view(deps, &grant));
  co_return page_answer(deps, ctx, *params, query, {}, page);
}

}  // namespace

void register_api_reaction_routes(http::Router& router, const ApiDeps& deps) {
  const ApiDeps* d = &deps;
  // These POSTs read no body: any (or none, as Mastodon.py sends) is accepted.
  for (auto a : {Action::favourite, Action::unfavourite, Action::reblog, Action::unreblog,
                 Action::bookmark, Action::unbookmark}) {
    router.add(bhttp::verb::post, "/api/v1/statuses/{id}/" + std::string(name_of(a)),
               [d, a](http::RequestContext& ctx) { return act(*d, ctx, a); });
  }
  router.add(bhttp::verb::get, "/api/v1/statuses/{id}/favourited_by",
             [d](http::RequestContext& ctx) {
               return reacting(*d, ctx, storage::ReactionKind::like);
             });
  router.add(bhttp::verb::get, "/api/v1/statuses/{id}/reblogged_by",
             [d](http::RequestContext& ctx) {
               return reacting(*d, ctx, storage::ReactionKind::announce);
             });
  router.add(bhttp::verb::get, "/api/v1/favourites", [d](http::RequestContext& ctx) {
    return saved(*d, ctx, views::SavedList::favourites);
  });
  router.add(bhttp::verb::get, "/api/v1/bookmarks", [d](http::RequestContext& ctx) {
    return saved(*d, ctx, views::SavedList::bookmarks);
  });
}

}  // namespace civicpub::server::routes
