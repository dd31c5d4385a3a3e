#include "server/routes/api_account_routes.hpp"

#include "server/http/api_status.hpp"
#include "server/http/response.hpp"
#include "federation/as2/json.hpp"
#include "federation/as2/time_format.hpp"
#include "server/services/markers.hpp"
#include "server/services/profile_service.hpp"
#include "server/routes/api_paging.hpp"
#include "server/routes/profile_params.hpp"
#include "server/views/api_accounts.hpp"
#include "server/views/api_reads.hpp"

#include <algorithm>
#include <cctype>


namespace civicpub::server::routes {
namespace asio = boost::asio;
namespace bhttp = boost::beast::http;

namespace {

asio::awaitable<http::Response> verify_credentials(const ApiDeps& deps,
                                                   http::RequestContext& ctx) {
  auto authorized = authorize(deps, ctx, "profile");
  if (auto* res = std::get_if<http::Response>(&authorized)) co_return std::move(*res);
  const auto& grant = std::get<services::TokenGrant>(authorized);
  auto json = views::account_json(deps.db, grant.account->id, api_view(deps, &grant), true);
  if (!json) co_return api_error(deps, ctx, json.error());
  co_return api_json(std::move(*json));
}

// Account reads take no token, or a valid one.
std::variant<std::optional<services::TokenGrant>, http::Response> optional_grant(
    const ApiDeps& deps, const http::RequestContext& ctx, std::string_view scope) {
  return optional_authorize(deps, ctx, scope);
}

// PATCH update_credentials (routes/profile_params.hpp lists the parameters) through
// ProfileService (the CLI's `account update`), which stores them and sends Update{actor} to the
// followers.
asio::awaitable<http::Response> update_credentials(const ApiDeps& deps,
                                                   http::RequestContext& ctx) {
  auto authorized = authorize(deps, ctx, "write:accounts");
  if (auto* res = std::get_if<http::Response>(&authorized)) co_return std::move(*res);
  const auto grant = std::get<services::TokenGrant>(std::move(authorized));
  auto params = Params::from(ctx);
  if (!params) {
    co_return http::error_response(bhttp::status::unprocessable_entity, "malformed request body");
  }
  auto checked = profile_change(*params);
  if (auto* message = std::get_if<std::string>(&checked)) {
    co_return http::error_response(bhttp::status::unprocessable_entity, *message);
  }
  services::ProfileService service(deps.db, *deps.lookup, deps.instance, deps.clock);
  auto updating = service.update_profile(grant.account->username,
                                         std::get<services::ProfileChange>(std::move(checked)));
  auto updated = co_await std::move(updating);
  if (!updated) co_return api_error(deps, ctx, updated.error());
  if (deps.wake_delivery) deps.wake_delivery();
  auto auditing = audit_write(deps, grant, "update_credentials", updated->actor.uri);
  co_await std::move(auditing);
  auto json = views::account_json(deps.db, grant.account->id, api_view(deps, &grant), true);
  if (!json) co_return api_error(deps, ctx, json.error());
  co_return api_json(std::move(*json));
}

asio::awaitable<http::Response> get_account(const ApiDeps& deps, http::RequestContext& ctx) {
  auto reader = optional_grant(deps, ctx, "read:accounts");
  if (auto* res = std::get_if<http::Response>(&reader)) co_return std::move(*res);
  const auto& grant = std::get<std::optional<services::TokenGrant>>(reader);
  auto json = views::account_json_by_id(deps.db, ctx.param("id"),
                                        api_view(deps, grant ? &*grant : nullptr));
  if (!json) co_return api_error(deps, ctx, json.error());
  co_return api_json(std::move(*json));
}

asio::awaitable<http::Response> lookup(const ApiDeps& deps, http::RequestContext& ctx) {
  auto reader = optional_grant(deps, ctx, "read:accounts");
  if (auto* res = std::get_if<http::Response>(&reader)) co_return std::move(*res);
  const auto& grant = std::get<std::optional<services::TokenGrant>>(reader);
  auto params = Params::from_query(ctx.query);
  if (!params) co_return http::error_response(bhttp::status::bad_request, "malformed query");
  auto json = views::account_json_by_acct(deps.db, params->value("acct"),
                                          api_view(deps, grant ? &*grant : nullptr));
  if (!json) co_return api_error(deps, ctx, json.error());
  co_return api_json(std::move(*json));
}

// local= and remote= of the public and hashtag timelines, kept for the Link header.
void local_or_remote(const Params& params, storage::PageQuery& query, std::string& kept) {
  query.local_only = params.flag("local");
  query.remote_only = params.flag("remote");
  if (query.local_only) kept += "local=true&";
  if (query.remote_only) kept += "remote=true&";
}

http::Response timeline_answer(const ApiDeps& deps, const http::RequestContext& ctx,
                               const Params& params, std::optional<std::int64_t> home_of,
                               const services::TokenGrant* grant) {
  auto query = page_query(params);
  std::string kept;
  if (!home_of) {
    local_or_remote(params, query, kept);
    // Media-only timelines: civicpub stores no media of its own; remote attachments are not
    // indexed yet, so the page is empty rather than wrong.
    if (params.flag("only_media")) return api_json("[]");
  }
  const auto page = views::timeline(deps.db, query, home_of, api_view(deps, grant));
  return page_answer(deps, ctx, params, query, std::move(kept), page);
}

asio::awaitable<http::Response> account_statuses(const ApiDeps& deps, http::RequestContext& ctx) {
  auto reader = optional_grant(deps, ctx, "read:statuses");
  if (auto* res = std::get_if<http::Response>(&reader)) co_return std::move(*res);
  const auto& grant = std::get<std::optional<services::TokenGrant>>(reader);
  auto params = Params::from_query(ctx.query);
  if (!params) co_return http::error_response(bhttp::status::bad_request, "malformed query");
  const auto query = page_query(*params);
  const auto page = views::account_statuses(deps.db, ctx.param("id"), query,
                                            api_view(deps, grant ? &*grant : nullptr));
  co_return page_answer(deps, ctx, *params, query, {}, page);
}

// {"home": {"last_read_id": "...", "version": 1, "updated_at": "..."}, ...}
std::string markers_json(const std::vector<storage::MarkerRecord>& markers) {
  federation::as2::JsonWriter out;
  out.start_object();
  for (const auto& m : markers) {
    out.key(m.timeline);
    out.start_object();
    out.field("last_read_id", m.last_read_id);
    out.field("version", m.version);
    out.field("updated_at", federation::as2::format_iso8601_ms(m.updated_at));
    out.end_object();
  }
  out.end_object();
  return out.str();
}

asio::awaitable<http::Response> relationships(const ApiDeps& deps, http::RequestContext& ctx) {
  auto authorized = authorize(deps, ctx, "read:follows");
  if (auto* res = std::get_if<http::Response>(&authorized)) co_return std::move(*res);
  const auto& grant = std::get<services::TokenGrant>(authorized);
  auto params = Params::from_query(ctx.query);
  if (!params) co_return http::error_response(bhttp::status::bad_request, "malformed query");
  auto ids = params->all("id");
  if (ids.size() > 40) ids.resize(40);
  auto json = views::relationships_json(deps.db, grant.account->id, ids);
  if (!json) co_return api_error(deps, ctx, json.error());
  co_return api_json(std::move(*json));
}

asio::awaitable<http::Response> get_markers(const ApiDeps& deps, http::RequestContext& ctx) {
  auto authorized = authorize(deps, ctx, "read:statuses");
  if (auto* res = std::get_if<http::Response>(&authorized)) co_return std::move(*res);
  const auto& grant = std::get<services::TokenGrant>(authorized);
  auto params = Params::from_query(ctx.query);
  if (!params) co_return http::error_response(bhttp::status::bad_request, "malformed query");
  auto markers = services::markers_of(deps.db, grant.account->id, params->all("timeline"));
  if (!markers) co_return api_error(deps, ctx, markers.error());
  co_return api_json(markers_json(*markers));
}

asio::awaitable<http::Response> post_markers(const ApiDeps& deps, http::RequestContext& ctx) {
  auto authorized = authorize(deps, ctx, "write:statuses");
  if (auto* res = std::get_if<http::Response>(&authorized)) co_return std::move(*res);
  const auto grant = std::get<services::TokenGrant>(std::move(authorized));
  auto params = Params::from(ctx);
  if (!params) co_return http::error_response(bhttp::status::unprocessable_entity,
                                              "malformed request body");
  std::vector<std::pair<std::string, std::string>> positions;
  for (const char* timeline : {"home", "notifications"}) {
    if (auto id = params->get(std::string(timeline) + "[last_read_id]")) {
      positions.emplace_back(timeline, *id);
    }
  }
  auto saving = services::save_markers(deps.db, grant.account->id, std::move(positions),
                                       deps.clock());
  auto saved = co_await std::move(saving);
  if (!saved) co_return api_error(deps, ctx, saved.error());
  co_return api_json(markers_json(*saved));
}

asio::awaitable<http::Response> public_timeline(const ApiDeps& deps, http::RequestContext& ctx) {
  auto reader = optional_grant(deps, ctx, "read:statuses");
  if (auto* res = std::get_if<http::Response>(&reader)) co_return std::move(*res);
  const auto& grant = std::get<std::optional<services::TokenGrant>>(reader);
  auto params = Params::from_query(ctx.query);
  if (!params) co_return http::error_response(bhttp::status::bad_request, "malformed query");
  co_return timeline_answer(deps, ctx, *params, std::nullopt, grant ? &*grant : nullptr);
}

// Hashtag timeline: public statuses with the tag (case-insensitive, '#' optional); local=,
// remote= as the public timeline.
asio::awaitable<http::Response> tag_timeline(const ApiDeps& deps, http::RequestContext& ctx) {
  auto reader = optional_grant(deps, ctx, "read:statuses");
  if (auto* res = std::get_if<http::Response>(&reader)) co_return std::move(*res);
  const auto& grant = std::get<std::optional<services::TokenGrant>>(reader);
  auto params = Params::from_query(ctx.query);
  if (!params) co_return http::error_response(bhttp::status::bad_request, "malformed query");
  std::string tag(ctx.param("tag"));
  if (!tag.empty() && tag.front() == '#') tag.erase(0, 1);
  std::transform(tag.begin(), tag.end(), tag.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (tag.empty() || tag.size() > 100) co_return api_json("[]");
  auto query = page_query(*params);
  std::string kept;
  local_or_remote(*params, query, kept);
  const auto page =
      views::tag_timeline(deps.db, tag, query, api_view(deps, grant ? &*grant : nullptr));
  co_return page_answer(deps, ctx, *params, query, std::move(kept), page);
}

asio::awaitable<http::Response> home_timeline(const ApiDeps& deps, http::RequestContext& ctx) {
  auto authorized = authorize(deps, ctx, "read:statuses");
  if (auto* res = std::get_if<http::Response>(&authorized)) co_return std::move(*res);
  const auto& grant = std::get<services::TokenGrant>(authorized);
  auto params = Params::from_query(ctx.query);
  if (!params) co_return http::error_response(bhttp::status::bad_request, "malformed query");
  co_return timeline_answer(deps, ctx, *params, grant.account->id, &grant);
}

}  // namespace

void register_api_account_routes(http::Router& router, const ApiDeps& deps) {
  const ApiDeps* d = &deps;
  router.add(bhttp::verb::get, "/api/v1/accounts/verify_credentials",
             [d](http::RequestContext& ctx) { return verify_credentials(*d, ctx); });
  // Any body type (or none): an app that changes nothing may send no body at all.
  router.add(bhttp::verb::patch, "/api/v1/accounts/update_credentials",
             [d](http::RequestContext& ctx) { return update_credentials(*d, ctx); });
  router.add(bhttp::verb::get, "/api/v1/accounts/lookup",
             [d](http::RequestContext& ctx) { return lookup(*d, ctx); });
  router.add(bhttp::verb::get, "/api/v1/accounts/{id}",
             [d](http::RequestContext& ctx) { return get_account(*d, ctx); });
  router.add(bhttp::verb::get, "/api/v1/accounts/relationships",
             [d](http::RequestContext& ctx) { return relationships(*d, ctx); });
  router.add(bhttp::verb::get, "/api/v1/accounts/{id}/statuses",
             [d](http::RequestContext& ctx) { return account_statuses(*d, ctx); });
  router.add(bhttp::verb::get, "/api/v1/markers",
             [d](http::RequestContext& ctx) { return get_markers(*d, ctx); });
  router.add(bhttp::verb::post, "/api/v1/markers",
             [d](http::RequestContext& ctx) { return post_markers(*d, ctx); },
             http::RouteOptions{api_body_types()});
  router.add(bhttp::verb::get, "/api/v1/timelines/public",
             [d](http::RequestContext& ctx) { return public_timeline(*d, ctx); });
  router.add(bhttp::verb::get, "/api/v1/timelines/tag/{tag}",
             [d](http::RequestContext& ctx) { return tag_timeline(*d, ctx); });
  router.add(bhttp::verb::get, "/api/v1/timelines/home",
             [d](http::RequestContext& ctx) { return home_timeline(*d, ctx); });
}

}  // namespace civicpub::server::routes
