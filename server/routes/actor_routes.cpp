#include "server/routes/actor_routes.hpp"
#include "federation/convert/actor.hpp"

#include "federation/as2/activities.hpp"
#include "federation/as2/actor.hpp"
#include "server/views/profile_fields.hpp"
#include "server/views/actor_views.hpp"
#include "server/views/collections.hpp"
#include "server/routes/group_routes.hpp"
#include "server/routes/html_views.hpp"
#include "server/routes/read_responses.hpp"
#include "server/html/profile_page.hpp"

namespace civicpub::server::routes {
namespace {

namespace as2 = federation::as2;
namespace convert = civicpub::federation::convert;
namespace bhttp = boost::beast::http;
using boost::asio::awaitable;
using http::RequestContext;
using http::Response;

std::string profile_page_url(const storage::ActorRecord& actor, std::uint64_t page) {
  const std::string& base = actor.url.empty() ? actor.uri : actor.url;
  return page <= 1 ? base : base + "?page=" + std::to_string(page);
}

Response profile_html(const ReadDeps& deps, const RequestContext& ctx) {
  if (auto group = group_html(deps, ctx)) return std::move(*group);
  auto page = page_param(ctx.query);
  if (!page) return read_failure(deps, ctx, page.error(), Format::html);
  const auto number = page->value_or(1);
  auto data = views::profile(deps.db, ctx.param("name"), number, kProfilePageSize);
  if (!data) return read_failure(deps, ctx, data.error(), Format::html);
  html::ProfileContent content;
  content.counts = {data->posts, data->followers, data->following};
  for (std::size_t i = 0; i < data->recent.size(); ++i) {
    auto view = html_post_view(data->recent[i], data->actor);
    view.reply_count = data->reply_counts[i];
    content.posts.push_back(std::move(view));
  }
  if (number > 1) content.pages.newer_url = profile_page_url(data->actor, number - 1);
  if (data->has_older) content.pages.older_url = profile_page_url(data->actor, number + 1);
  return html_response(bhttp::status::ok, html::profile_page(deps.instance, data->actor, content));
}

Response actor_json(const ReadDeps& deps, const RequestContext& ctx) {
  auto actor = views::get_local_actor(deps.db, ctx.param("name"));
  if (!actor) return read_failure(deps, ctx, actor.error(), Format::activity_json);
  if (actor->deleted_at) {
    return activity_response(
        bhttp::status::gone,
        as2::render_tombstone(actor->uri, std::string(convert::actor_type(*actor, deps.instance)),
                              *actor->deleted_at));
  }
  auto key = views::assertion_key(deps.db, actor->id);
  if (!key) return read_failure(deps, ctx, key.error(), Format::activity_json);
  as2::ActorExtras extras;
  extras.assertion_key = std::move(*key);
  auto group = views::group_extras(deps.db, *actor);
  if (!group) return read_failure(deps, ctx, group.error(), Format::activity_json);
  extras.group = std::move(*group);
  auto fields = views::profile_fields(deps.db, actor->id);  // update_credentials' fields
  if (!fields) return read_failure(deps, ctx, fields.error(), Format::activity_json);
  extras.fields = std::move(*fields);
  return activity_response(bhttp::status::ok, convert::render_actor(*actor, deps.instance, extras));
}

awaitable<Response> actor(const ReadDeps& deps, RequestContext& ctx) {
  if (negotiated_format(ctx) == Format::activity_json) co_return vary_accept(actor_json(deps, ctx));
  co_return vary_accept(profile_html(deps, ctx));
}

awaitable<Response> profile(const ReadDeps& deps, RequestContext& ctx) {
  if (negotiated_format(ctx) == Format::activity_json) {
    auto actor = views::get_local_actor(deps.db, ctx.param("name"));
    if (!actor)
      co_return vary_accept(read_failure(deps, ctx, actor.error(), Format::activity_json));
    co_return vary_accept(redirect_response(actor->uri));
  }
  co_return vary_accept(profile_html(deps, ctx));
}

// Collections are JSON only: there is no HTML twin to negotiate.
Response collection_response(const ReadDeps& deps, RequestContext& ctx,
                             const Result<views::CollectionAnswer>& answer) {
  if (!answer) return read_failure(deps, ctx, answer.error(), Format::activity_json);
  return activity_response(bhttp::status::ok,
                           answer->page ? as2::render_ordered_collection_page(*answer->page)
                                        : as2::render_ordered_collection(*answer->collection));
}

awaitable<Response> collection(const ReadDeps& deps, RequestContext& ctx,
                               views::ActorCollection which) {
  auto page = page_param(ctx.query);
  if (!page) co_return read_failure(deps, ctx, page.error(), Format::activity_json);
  co_return collection_response(deps, ctx,
                                views::actor_collection(deps.db, ctx.param("name"), which, *page));
}

// The context collection for servers; for browsers, its HTML twin: the group's thread page.
awaitable<Response> group_context(const ReadDeps& deps, RequestContext& ctx) {
  if (negotiated_format(ctx) == Format::html) co_return vary_accept(group_thread_html(deps, ctx));
  auto page = page_param(ctx.query);
  if (!page) co_return read_failure(deps, ctx, page.error(), Format::activity_json);
  co_return vary_accept(collection_response(
      deps, ctx, views::group_context(deps.db, ctx.param("name"), ctx.param("key"), *page)));
}

}  // namespace

void register_actor_routes(http::Router& router, const ReadDeps& deps) {
  using bhttp::verb;
  using views::ActorCollection;
  // The document and its HTML twin, each under its own Accept (document_cache.hpp).
  router.add(verb::get, "/users/{name}", [deps](RequestContext& ctx) { return actor(deps, ctx); },
             {.accepted_content_types = {}, .cache_documents = true});
  router.add(verb::get, "/@{name}", [deps](RequestContext& ctx) { return profile(deps, ctx); },
             {.accepted_content_types = {}, .cache_documents = true});
  router.add(verb::get, "/users/{name}/followers", [deps](RequestContext& ctx) {
    return collection(deps, ctx, ActorCollection::followers);
  });
  router.add(verb::get, "/users/{name}/following", [deps](RequestContext& ctx) {
    return collection(deps, ctx, ActorCollection::following);
  });
  router.add(verb::get, "/users/{name}/outbox", [deps](RequestContext& ctx) {
    return collection(deps, ctx, ActorCollection::outbox);
  });
  // Groups only (404 for other actors): the moderators (the group's attributedTo) and featured.
  router.add(verb::get, "/users/{name}/moderators", [deps](RequestContext& ctx) {
    return collection(deps, ctx, ActorCollection::moderators);
  });
  router.add(verb::get, "/users/{name}/featured", [deps](RequestContext& ctx) {
    return collection(deps, ctx, ActorCollection::featured);
  });
  // A group's thread's context collection (the group owns the threads started in it).
  router.add(verb::get, "/users/{name}/context/{key}",
             [deps](RequestContext& ctx) { return group_context(deps, ctx); });
}

}  // namespace civicpub::server::routes
