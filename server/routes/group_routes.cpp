#include "server/routes/group_routes.hpp"

#include "server/html/atom_feed.hpp"
#include "server/html/group_page.hpp"
#include "server/html/post_fragment.hpp"
#include "server/routes/feed_routes.hpp"
#include "server/routes/html_views.hpp"
#include "server/routes/read_responses.hpp"
#include "server/views/error.hpp"
#include "server/views/group_views.hpp"

#include <algorithm>

namespace civicpub::server::routes {
namespace {

namespace bhttp = boost::beast::http;
using http::RequestContext;
using http::Response;
using storage::groups::ThreadOrder;

// Whether `name` is a live local group. Errors (an unknown actor too) are left to the caller's
// own route, which answers them as it always did.
bool names_group(const ReadDeps& deps, const RequestContext& ctx) {
  auto group = views::is_group(deps.db, ctx.param("name"));
  return group && *group;
}

std::string group_page_url(const storage::ActorRecord& group, std::uint64_t page) {
  const std::string& base = group.url.empty() ? group.uri : group.url;
  return page <= 1 ? base : base + "?page=" + std::to_string(page);
}

html::GroupThreadItem thread_item(const views::GroupThreadEntry& entry,
                                  const federation::as2::InstanceInfo& instance,
                                  const std::string& group_uri) {
  html::GroupThreadItem item;
  item.root = html_post_view(entry.summary.root, entry.author);
  // The group's thread page is the context collection's HTML twin: for a thread whose context
  // is someone else's (a remote post addressed to the group), the post's own page here.
  const std::string& context = entry.summary.root.context;
  if (context.rfind(group_uri + "/context/", 0) == 0) {
    item.root.url = context;
  } else if (!entry.summary.root.local) {
    item.root.url = remote_post_page_url(instance, entry.summary.root.id);
  }
  item.replies = entry.summary.replies;
  item.last_activity = entry.summary.last_activity;
  item.featured = entry.summary.featured;
  item.locked = entry.summary.locked;
  return item;
}

Response atom_response(std::string body) {
  Response res{bhttp::status::ok, 11};
  res.set(bhttp::field::content_type, html::kAtomContentType);
  res.body() = std::move(body);
  return res;
}

}  // namespace

std::optional<Response> group_html(const ReadDeps& deps, const RequestContext& ctx) {
  if (!names_group(deps, ctx)) return std::nullopt;
  auto page = page_param(ctx.query);
  if (!page) return read_failure(deps, ctx, page.error(), Format::html);
  const auto number = page->value_or(1);
  auto data =
      views::group_page(deps.db, ctx.param("name"), ThreadOrder::page, number, kGroupPageSize);
  if (!data) return read_failure(deps, ctx, data.error(), Format::html);
  html::GroupPageContent content;
  content.members = data->members;
  content.threads = data->threads;
  for (const auto& mod : data->moderators) content.moderators.push_back(html::author_view(mod));
  for (const auto& entry : data->entries) {
    content.items.push_back(thread_item(entry, deps.instance, data->group.uri));
  }
  if (number > 1) content.pages.newer_url = group_page_url(data->group, number - 1);
  if (data->has_older) content.pages.older_url = group_page_url(data->group, number + 1);
  return html_response(bhttp::status::ok, html::group_page(deps.instance, data->group, content));
}

std::optional<Response> group_feed(const ReadDeps& deps, const RequestContext& ctx) {
  if (!names_group(deps, ctx)) return std::nullopt;
  auto data = views::group_page(deps.db, ctx.param("name"), ThreadOrder::newest, 1, kFeedSize);
  if (!data) return read_failure(deps, ctx, data.error(), Format::activity_json);
  std::vector<html::PostView> posts;
  for (const auto& entry : data->entries) {
    posts.push_back(thread_item(entry, deps.instance, data->group.uri).root);
  }
  const auto author = html::author_view(data->group);
  html::FeedHead head{html::shown_name(author) + " (" + html::handle(author) + "): new threads",
                      author.profile_url};
  return atom_response(
      html::atom_feed(deps.instance, data->group, html::atom_feed_url(data->group), posts, head));
}

Response group_thread_html(const ReadDeps& deps, const RequestContext& ctx) {
  auto data = views::group_thread(deps.db, ctx.param("name"), ctx.param("key"));
  if (!data) return read_failure(deps, ctx, data.error(), Format::html);
  const auto& thread = data->thread;
  if (thread.tree.empty() || thread.tree.front().withheld) {
    return read_failure(deps, ctx, make_error_code(views::ViewError::not_found), Format::html);
  }
  html::GroupThreadContent content;
  content.page_url = data->context;
  content.root = html_thread_tree(thread, deps.instance);
  content.locked = data->locked;
  return html_response(bhttp::status::ok,
                       html::group_thread_page(deps.instance, data->group, content));
}

Response group_thread_feed(const ReadDeps& deps, const RequestContext& ctx) {
  auto data = views::group_thread(deps.db, ctx.param("name"), ctx.param("key"));
  if (!data) return read_failure(deps, ctx, data.error(), Format::activity_json);
  std::vector<html::PostView> posts;
  for (const auto& entry : data->thread.tree) {
    if (entry.withheld || entry.deleted()) continue;  // feeds show only what a stranger may see
    posts.push_back(html_thread_post_view(entry, deps.instance));
  }
  std::sort(posts.begin(), posts.end(), [](const html::PostView& a, const html::PostView& b) {
    return a.published > b.published;
  });
  if (posts.size() > kFeedSize) posts.resize(kFeedSize);
  std::string title = "Thread in " + html::shown_name(html::author_view(data->group));
  if (!data->thread.tree.empty() && !data->thread.tree.front().deleted()) {
    title = html::entry_title(html_thread_post_view(data->thread.tree.front(), deps.instance)) +
            " \u00b7 " + title;
  }
  html::FeedHead head{std::move(title), data->context};
  return atom_response(html::atom_feed(deps.instance, data->group,
                                       html::group_thread_feed_url(data->context), posts, head));
}

}  // namespace civicpub::server::routes
