#include "server/routes/consultation_routes.hpp"

#include "server/html/atom_feed.hpp"
#include "server/html/consultation_list_page.hpp"
#include "server/html/consultation_page.hpp"
#include "server/routes/html_views.hpp"
#include "server/routes/read_responses.hpp"
#include "server/routes/thread_routes.hpp"
#include "server/views/actor_views.hpp"
#include "server/views/consultation_views.hpp"
#include "server/views/post_views.hpp"
#include "server/views/thread_views.hpp"

namespace civicpub::server::routes {
namespace {

namespace bhttp = boost::beast::http;
using boost::asio::awaitable;
using http::RequestContext;
using http::Response;

html::ConsultationView html_view(const views::ConsultationSummary& c,
                                 const federation::as2::InstanceInfo& instance) {
  html::ConsultationView view;
  view.id = c.url;
  view.title = c.title;
  view.state = c.state;
  view.multiple = c.multiple;
  view.closes_at = c.closes_at;
  view.closed_at = c.closed_at;
  view.eligible_domains = c.eligible_domains;
  for (const auto& count : c.counts) {
    view.options.push_back({count.name, count.residents, count.others});
  }
  view.voters_residents = c.voters.residents;
  view.voters_others = c.voters.others;
  view.author_handle = "@" + c.author_username + "@" + instance.effective_handle_domain();
  view.answer_id = c.answer_uri;
  return view;
}

Result<std::optional<views::ConsultationSummary>> read_consultation(storage::Database& db,
                                                                    std::int64_t post_id) {
  return db.read([post_id](storage::Connection& c) { return views::consultation_of(c, post_id); });
}

// The consultation with its public replies and their provenance.
Result<std::optional<views::ConsultationSummary>> read_export(storage::Database& db,
                                                              std::int64_t post_id) {
  return db.read([post_id](storage::Connection& c) {
    return views::with_replies(c, views::consultation_of(c, post_id));
  });
}

enum class Export { csv, json };

awaitable<Response> export_counts(const ReadDeps& deps, RequestContext& ctx, Export format) {
  auto found = views::find_public_post(deps.db, ctx.param("name"), ctx.param("id"));
  if (!found) co_return read_failure(deps, ctx, found.error(), Format::activity_json);
  if (found->post.deleted_at) {
    co_return http::error_response(bhttp::status::gone, "the consultation was deleted");
  }
  auto consultation = read_export(deps.db, found->post.id);
  if (!consultation) co_return read_failure(deps, ctx, consultation.error(), Format::activity_json);
  if (!*consultation)
    co_return http::error_response(bhttp::status::not_found, "not a consultation");
  if (format == Export::json) {
    co_return http::json_response(bhttp::status::ok, views::export_json(**consultation));
  }
  Response res{bhttp::status::ok, 11};
  res.set(bhttp::field::content_type, "text/csv; charset=utf-8; header=present");
  res.set(bhttp::field::content_disposition, "inline; filename=\"consultation.csv\"");
  res.body() = views::export_csv(**consultation);
  res.prepare_payload();
  co_return res;
}

struct Listing {
  storage::ActorRecord actor;
  std::vector<views::ConsultationEntry> entries;
};

Result<Listing> listing(storage::Database& db, std::string_view username) {
  auto actor = views::get_local_actor(db, username);
  if (!actor) return actor.error();
  const std::int64_t id = actor->id;
  auto entries = db.read([id](storage::Connection& c) { return views::consultations_by(c, id); });
  if (!entries) return entries.error();
  return Listing{std::move(*actor), std::move(*entries)};
}

std::string list_feed_url(const storage::ActorRecord& actor) {
  return actor.uri + "/consultations.atom";
}

awaitable<Response> list_page(const ReadDeps& deps, RequestContext& ctx) {
  auto found = listing(deps.db, ctx.param("name"));
  if (!found) co_return read_failure(deps, ctx, found.error(), Format::html);
  std::vector<html::ConsultationListItem> items;
  for (const auto& entry : found->entries) {
    const auto& c = entry.summary;
    items.push_back({c.title, entry.post.url.empty() ? entry.post.ap_id : entry.post.url, c.state,
                     c.closes_at, c.voters.total()});
  }
  co_return html_response(bhttp::status::ok, html::consultation_list_page(
                                                 deps.instance, html::author_view(found->actor),
                                                 list_feed_url(found->actor), items));
}

awaitable<Response> list_feed(const ReadDeps& deps, RequestContext& ctx) {
  auto found = listing(deps.db, ctx.param("name"));
  if (!found) co_return read_failure(deps, ctx, found.error(), Format::activity_json);
  std::vector<html::PostView> posts;
  for (const auto& entry : found->entries)
    posts.push_back(html_post_view(entry.post, found->actor));
  Response res{bhttp::status::ok, 11};
  res.set(bhttp::field::content_type, html::kAtomContentType);
  res.body() = html::atom_feed(deps.instance, found->actor, list_feed_url(found->actor), posts);
  res.prepare_payload();
  co_return res;
}

}  // namespace

std::optional<Response> consultation_page_for(const ReadDeps& deps, const RequestContext& ctx,
                                              const storage::PostRecord& post) {
  if (!post.local || post.object_type != "Question") return std::nullopt;
  auto consultation = read_consultation(deps.db, post.id);
  if (!consultation) return read_failure(deps, ctx, consultation.error(), Format::html);
  if (!*consultation) return std::nullopt;
  auto thread = views::thread_by_reference(deps.db, post.ap_id, public_thread_options());
  if (!thread) return read_failure(deps, ctx, thread.error(), Format::html);
  if (thread->tree.empty()) return std::nullopt;
  const html::ThreadNode root = html_thread_tree(*thread, deps.instance);
  return html_response(
      bhttp::status::ok,
      html::consultation_page(deps.instance, html_view(**consultation, deps.instance), root));
}

void register_consultation_routes(http::Router& router, const ReadDeps& deps) {
  router.add(bhttp::verb::get, "/users/{name}/consultations",
             [deps](RequestContext& ctx) { return list_page(deps, ctx); });
  router.add(bhttp::verb::get, "/users/{name}/consultations.atom",
             [deps](RequestContext& ctx) { return list_feed(deps, ctx); });
  router.add(bhttp::verb::get, "/users/{name}/statuses/{id}/export.csv",
             [deps](RequestContext& ctx) { return export_counts(deps, ctx, Export::csv); });
  router.add(bhttp::verb::get, "/users/{name}/statuses/{id}/export.json",
             [deps](RequestContext& ctx) { return export_counts(deps, ctx, Export::json); });
}

}  // namespace civicpub::server::routes
