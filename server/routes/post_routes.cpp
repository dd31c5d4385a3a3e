#include "server/routes/post_routes.hpp"

#include "federation/as2/activities.hpp"
#include "federation/as2/collection.hpp"
#include "federation/as2/note.hpp"
#include "server/html/error_page.hpp"
#include "server/html/post_page.hpp"
#include "server/routes/consultation_routes.hpp"
#include "server/routes/html_views.hpp"
#include "server/routes/read_responses.hpp"
#include "server/routes/thread_routes.hpp"
#include "server/views/note_view.hpp"
#include "server/views/post_urls.hpp"
#include "server/views/post_views.hpp"

namespace civicpub::server::routes {
namespace {

namespace as2 = federation::as2;
namespace bhttp = boost::beast::http;
using boost::asio::awaitable;
using http::RequestContext;
using http::Response;

enum class Document { note, create };

Response post_json(const ReadDeps& deps, const RequestContext& ctx, Document document) {
  auto found = views::find_public_post(deps.db, ctx.param("name"), ctx.param("id"));
  if (!found) return read_failure(deps, ctx, found.error(), Format::activity_json);
  const auto& post = found->post;
  const bool create = document == Document::create;
  const std::string id = create ? server::views::create_activity_id(post.ap_id) : post.ap_id;
  if (post.deleted_at) {
    return activity_response(
        bhttp::status::gone,
        as2::render_tombstone(id, create ? "Create" : "Note", *post.deleted_at));
  }
  const auto note = views::note_view(post, found->author, found->details);
  return activity_response(bhttp::status::ok,
                           create ? as2::render_create_note(id, note) : as2::render_note(note));
}

Response post_html(const ReadDeps& deps, const RequestContext& ctx) {
  auto found = views::find_public_post(deps.db, ctx.param("name"), ctx.param("id"));
  if (!found) return read_failure(deps, ctx, found.error(), Format::html);
  if (found->post.deleted_at) {
    return html_response(bhttp::status::gone, html::error_page(deps.instance, 410));
  }
  // A consultation's own page: results, the official answer, then the discussion.
  if (auto consultation = consultation_page_for(deps, ctx, found->post)) {
    return std::move(*consultation);
  }
  return thread_page(
      deps, ctx, views::thread_by_reference(deps.db, found->post.ap_id, public_thread_options()));
}

awaitable<Response> note(const ReadDeps& deps, RequestContext& ctx) {
  if (negotiated_format(ctx) == Format::activity_json) {
    co_return vary_accept(post_json(deps, ctx, Document::note));
  }
  co_return vary_accept(post_html(deps, ctx));
}

awaitable<Response> create_activity(const ReadDeps& deps, RequestContext& ctx) {
  co_return post_json(deps, ctx, Document::create);
}

awaitable<Response> post_page(const ReadDeps& deps, RequestContext& ctx) {
  if (negotiated_format(ctx) == Format::activity_json) {
    auto found = views::find_public_post(deps.db, ctx.param("name"), ctx.param("id"));
    if (!found) {
      co_return vary_accept(read_failure(deps, ctx, found.error(), Format::activity_json));
    }
    co_return vary_accept(redirect_response(found->post.ap_id));
  }
  co_return vary_accept(post_html(deps, ctx));
}

// The post's collections are JSON only, like the actors' (there is no HTML twin to negotiate).
awaitable<Response> collection(const ReadDeps& deps, RequestContext& ctx,
                               views::PostCollection which) {
  auto page = page_param(ctx.query);
  if (!page) co_return read_failure(deps, ctx, page.error(), Format::activity_json);
  auto answer = views::post_collection(deps.db, ctx.param("name"), ctx.param("id"), which, *page);
  if (!answer) co_return read_failure(deps, ctx, answer.error(), Format::activity_json);
  if (answer->counted) {
    co_return activity_response(
        bhttp::status::ok,
        as2::render_counted_collection(answer->counted->id, answer->counted->total_items));
  }
  co_return activity_response(bhttp::status::ok,
                              answer->page ? as2::render_ordered_collection_page(*answer->page)
                                           : as2::render_ordered_collection(*answer->collection));
}

}  // namespace

void register_post_routes(http::Router& router, const ReadDeps& deps) {
  using bhttp::verb;
  router.add(verb::get, "/users/{name}/statuses/{id}",
             [deps](RequestContext& ctx) { return note(deps, ctx); },
             {.accepted_content_types = {}, .cache_documents = true});
  router.add(verb::get, "/users/{name}/statuses/{id}/activity",
             [deps](RequestContext& ctx) { return create_activity(deps, ctx); },
             {.accepted_content_types = {}, .cache_documents = true});
  using views::PostCollection;
  router.add(verb::get, "/users/{name}/statuses/{id}/replies", [deps](RequestContext& ctx) {
    return collection(deps, ctx, PostCollection::replies);
  });
  router.add(verb::get, "/users/{name}/statuses/{id}/context", [deps](RequestContext& ctx) {
    return collection(deps, ctx, PostCollection::context);
  });
  router.add(verb::get, "/users/{name}/statuses/{id}/likes",
             [deps](RequestContext& ctx) { return collection(deps, ctx, PostCollection::likes); });
  router.add(verb::get, "/users/{name}/statuses/{id}/shares",
             [deps](RequestContext& ctx) { return collection(deps, ctx, PostCollection::shares); });
  // The post's page with its thread: every reader who follows a link from Mastodon lands here.
  router.add(verb::get, "/@{name}/{id}",
             [deps](RequestContext& ctx) { return post_page(deps, ctx); },
             {.accepted_content_types = {}, .cache_documents = true});
}

}  // namespace civicpub::server::routes
