#include "server/routes/thread_routes.hpp"

#include "server/views/error.hpp"
#include "server/routes/html_views.hpp"
#include "server/routes/read_responses.hpp"
#include "server/html/error_page.hpp"
#include "server/html/post_page.hpp"

#include <charconv>

namespace civicpub::server::routes {
namespace {

namespace bhttp = boost::beast::http;
using boost::asio::awaitable;
using http::RequestContext;
using http::Response;

std::optional<std::int64_t> row_id(std::string_view text) {
  std::int64_t id = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, id);
  if (ec != std::errc{} || ptr != end || id <= 0) return std::nullopt;
  return id;
}

awaitable<Response> remote_post(const ReadDeps& deps, RequestContext& ctx) {
  const auto id = row_id(ctx.param("id"));
  if (!id) {
    co_return read_failure(deps, ctx, make_error_code(views::ViewError::not_found), Format::html);
  }
  const auto thread = views::thread_by_row_id(deps.db, *id, public_thread_options());
  if (thread && !thread->tree.empty()) {
    const auto& focus = thread->tree[thread->focus];
    if (!focus.withheld && !focus.deleted()) {
      if (negotiated_format(ctx) == Format::activity_json) {
        co_return vary_accept(redirect_response(focus.post.ap_id));
      }
      if (focus.post.local) {
        co_return vary_accept(
            redirect_response(focus.post.url.empty() ? focus.post.ap_id : focus.post.url));
      }
      // Opening a remote thread's page completes it for the next reader (issue 5 point 4); the
      // per-thread cooldown keeps reloads from reading it again.
      if (deps.backfill) deps.backfill(focus.post.ap_id);
    }
  }
  co_return vary_accept(thread_page(deps, ctx, thread));
}

}  // namespace

views::ThreadOptions public_thread_options() {
  views::ThreadOptions options;
  options.public_only = true;
  options.from_top = true;
  return options;
}

Response thread_page(const ReadDeps& deps, const RequestContext& ctx,
                     const Result<views::Thread>& thread) {
  if (!thread) return read_failure(deps, ctx, thread.error(), Format::html);
  if (thread->tree.empty() || thread->tree[thread->focus].withheld) {
    return read_failure(deps, ctx, make_error_code(views::ViewError::not_found), Format::html);
  }
  const auto& focus = thread->tree[thread->focus];
  if (focus.deleted()) {
    return html_response(bhttp::status::gone, html::error_page(deps.instance, 410));
  }
  const html::ThreadNode root = html_thread_tree(*thread, deps.instance);
  return html_response(bhttp::status::ok, html::post_page(deps.instance, root, focus.post.ap_id));
}

void register_thread_routes(http::Router& router, const ReadDeps& deps) {
  router.add(bhttp::verb::get, "/remote/{id}",
             [deps](RequestContext& ctx) { return remote_post(deps, ctx); });
}

}  // namespace civicpub::server::routes
