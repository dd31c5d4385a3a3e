#include "server/routes/feed_routes.hpp"

#include "server/views/actor_views.hpp"
#include "server/routes/group_routes.hpp"
#include "server/routes/html_views.hpp"
#include "server/routes/read_responses.hpp"
#include "server/html/atom_feed.hpp"
#include "server/html/profile_page.hpp"

namespace civicpub::server::routes {
namespace {

namespace bhttp = boost::beast::http;
using boost::asio::awaitable;
using http::RequestContext;
using http::Response;

awaitable<Response> atom(const ReadDeps& deps, RequestContext& ctx) {
  // A group's feed lists its new threads (it writes no posts of its own).
  if (auto group = group_feed(deps, ctx)) co_return std::move(*group);
  auto data = server::views::profile(deps.db, ctx.param("name"), 1, kFeedSize);
  if (!data) co_return read_failure(deps, ctx, data.error(), Format::activity_json);
  std::vector<html::PostView> posts;
  for (const auto& post : data->recent) posts.push_back(html_post_view(post, data->actor));
  Response res{bhttp::status::ok, 11};
  res.set(bhttp::field::content_type, html::kAtomContentType);
  res.body() = html::atom_feed(deps.instance, data->actor, html::atom_feed_url(data->actor), posts);
  co_return res;
}

awaitable<Response> thread_atom(const ReadDeps& deps, RequestContext& ctx) {
  co_return group_thread_feed(deps, ctx);
}

}  // namespace

void register_feed_routes(http::Router& router, const ReadDeps& deps) {
  router.add(bhttp::verb::get, "/users/{name}/feed.atom",
             [deps](RequestContext& ctx) { return atom(deps, ctx); });
  router.add(bhttp::verb::get, "/users/{name}/context/{key}/feed.atom",
             [deps](RequestContext& ctx) { return thread_atom(deps, ctx); });
}

}  // namespace civicpub::server::routes
