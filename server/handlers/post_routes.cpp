#include "server/handlers/post_routes.hpp"

#include "federation/as2/activities.hpp"
#include "federation/as2/note.hpp"
#include "federation/post_urls.hpp"
#include "federation/views/note_view.hpp"
#include "federation/views/post_views.hpp"
#include "server/handlers/html_views.hpp"
#include "server/handlers/read_responses.hpp"
#include "server/handlers/thread_routes.hpp"
#include "server/html/error_page.hpp"
#include "server/html/post_page.hpp"

namespace civicpub::server::handlers {
namespace {

namespace as2 = federation::as2;
namespace views = federation::views;
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
  const std::string id = create ? federation::create_activity_id(post.ap_id) : post.ap_id;
  if (post.deleted_at) {
    return activity_response(
        bhttp::status::gone,
        as2::render_tombstone(id, create ? "Create" : "Note", *post.deleted_at));
  }
  const auto note = views::note_view(post, found->author);
  return activity_response(bhttp::status::ok,
                           create ? as2::render_create_note(id, note) : as2::render_note(note));
}

Response post_html(const ReadDeps& deps, const RequestContext& ctx) {
  auto found = views::find_public_post(deps.db, ctx.param("name"), ctx.param("id"));
  if (!found) return read_failure(deps, ctx, found.error(), Format::html);
  if (found->post.deleted_at) {
    return html_response(bhttp::status::gone, html::error_page(deps.instance, 410));
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

}  // namespace

void register_post_routes(http::Router& router, const ReadDeps& deps) {
  using bhttp::verb;
  router.add(verb::get, "/users/{name}/statuses/{id}",
             [deps](RequestContext& ctx) { return note(deps, ctx); });
  router.add(verb::get, "/users/{name}/statuses/{id}/activity",
             [deps](RequestContext& ctx) { return create_activity(deps, ctx); });
  router.add(verb::get, "/@{name}/{id}",
             [deps](RequestContext& ctx) { return post_page(deps, ctx); });
}

}  // namespace civicpub::server::handlers
