#include "server/routes/api_search_routes.hpp"

#include "federation/remote/webfinger_client.hpp"
#include "server/http/response.hpp"
#include "server/routes/api_paging.hpp"
#include "server/views/api_search.hpp"

namespace civicpub::server::routes {
namespace asio = boost::asio;
namespace bhttp = boost::beast::http;

namespace {

constexpr std::size_t kMaxQuery = 500;

bool is_url(std::string_view q) { return q.starts_with("https://") || q.starts_with("http://"); }

// resolve=true: a handle or an actor URL through AccountLookup (stored ones answer from storage),
// a post URL through the post fetcher. A failure just finds nothing, as on Mastodon.
asio::awaitable<void> resolve_remote(const ApiDeps& deps, const views::SearchQuery& query,
                                     views::SearchResults& into) {
  const std::string& q = query.q;
  const bool handle = !is_url(q) && federation::parse_account_handle(q).has_value();
  if (query.accounts && deps.lookup && (handle || federation::is_actor_url(q))) {
    auto resolving = deps.lookup->resolve(q);
    auto actor = co_await std::move(resolving);
    if (actor) {
      into.accounts.push_back(std::move(*actor));
      co_return;
    }
  }
  if (query.statuses && deps.posts && is_url(q)) {
    auto fetching = deps.posts->post(q);
    auto post = co_await std::move(fetching);
    if (post && !post->deleted_at) into.statuses.push_back(std::move(*post));
  }
}

asio::awaitable<http::Response> search(const ApiDeps& deps, http::RequestContext& ctx) {
  auto reader = optional_authorize(deps, ctx, "read:search");
  if (auto* res = std::get_if<http::Response>(&reader)) co_return std::move(*res);
  const auto& grant = std::get<std::optional<services::TokenGrant>>(reader);
  auto params = Params::from_query(ctx.query);
  if (!params) co_return http::error_response(bhttp::status::bad_request, "malformed query");
  views::SearchQuery query;
  query.q = params->value("q");
  while (!query.q.empty() && query.q.back() == ' ') query.q.pop_back();
  while (!query.q.empty() && query.q.front() == ' ') query.q.erase(0, 1);
  if (query.q.empty() || query.q.size() > kMaxQuery) {
    co_return http::error_response(bhttp::status::bad_request,
                                   "q is required (at most 500 bytes)");
  }
  if (auto type = params->get("type"); type && !type->empty()) {
    query.accounts = *type == "accounts";
    query.statuses = *type == "statuses";
    query.hashtags = *type == "hashtags";
  }
  query.limit = page_query(*params).limit;
  const auto view = api_view(deps, grant ? &*grant : nullptr);
  views::SearchResults found;
  // Mastodon pages search with offset; civicpub answers the first page only.
  if (params->value("offset").empty() || params->value("offset") == "0") {
    // Fetching from other servers is for signed-in callers only (as on Mastodon).
    if (grant && grant->account && params->flag("resolve")) {
      auto resolving = resolve_remote(deps, query, found);
      co_await std::move(resolving);
    }
    if (auto stored = views::search_stored(deps.db, query, view, found); !stored) {
      co_return api_error(deps, ctx, stored.error());
    }
  }
  auto json = views::search_json(deps.db, found, view);
  if (!json) co_return api_error(deps, ctx, json.error());
  co_return api_json(std::move(*json));
}

}  // namespace

void register_api_search_routes(http::Router& router, const ApiDeps& deps) {
  const ApiDeps* d = &deps;
  router.add(bhttp::verb::get, "/api/v2/search",
             [d](http::RequestContext& ctx) { return search(*d, ctx); });
}

}  // namespace civicpub::server::routes
