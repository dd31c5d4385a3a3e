#include "server/routes/api_status_routes.hpp"

#include "server/http/response.hpp"
#include "server/routes/api_instance_routes.hpp"
#include "server/views/api_preferences.hpp"
#include "server/views/api_reads.hpp"

#include <algorithm>

namespace civicpub::server::routes {
namespace asio = boost::asio;
namespace bhttp = boost::beast::http;

namespace {

http::Response unprocessable(std::string_view message) {
  return http::error_response(bhttp::status::unprocessable_entity, message);
}

std::size_t utf8_length(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(
      text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xc0) != 0x80; }));
}

// BCP 47 in the shape Mastodon accepts: letters, digits and '-', 2 to 35 characters.
bool plausible_language(std::string_view tag) {
  return tag.size() >= 2 && tag.size() <= 35 &&
         std::all_of(tag.begin(), tag.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-';
         });
}

// What POST /api/v1/statuses asks for, checked; or the 422/404 to answer.
std::variant<services::PublishRequest, http::Response> publish_request(
    const ApiDeps& deps, const services::TokenGrant& grant, const Params& params) {
  services::PublishRequest request;
  request.author = grant.account->username;
  request.text = params.value("status");
  if (request.text.find_first_not_of(" \t\r\n") == std::string::npos) {
    return unprocessable("Validation failed: Text can't be blank");
  }
  if (utf8_length(request.text) > static_cast<std::size_t>(kMaxStatusCharacters)) {
    return unprocessable("Validation failed: Text character limit of 5000 exceeded");
  }
  // Without a visibility or language, the account's posting defaults (update_credentials'
  // source) apply, as on Mastodon.
  auto defaults = views::posting_defaults(deps.db, grant.account->id);
  if (!defaults) {
    deps.log->warn("reading the posting defaults of {} failed: {}", request.author,
                   defaults.error().message());
    return http::error_response(bhttp::status::internal_server_error, "Internal server error");
  }
  std::string visibility_name = params.value("visibility");
  if (visibility_name.empty()) visibility_name = defaults->privacy;
  auto visibility = views::parse_api_visibility(visibility_name);
  if (!visibility) return unprocessable("Validation failed: Visibility is not included in the list");
  request.visibility = *visibility;
  request.content_warning = params.value("spoiler_text");
  if (utf8_length(request.content_warning) > 1000) {
    return unprocessable("Validation failed: Spoiler text is too long");
  }
  request.sensitive = params.flag("sensitive");
  request.language = params.value("language");
  if (request.language.empty()) request.language = defaults->language;
  if (!request.language.empty() && !plausible_language(request.language)) {
    return unprocessable("Validation failed: Language is not a valid language tag");
  }
  if (!params.all("media_ids").empty() || params.get("poll[expires_in]")) {
    return unprocessable("Validation failed: media and polls are not supported");
  }
  if (auto parent_id = params.get("in_reply_to_id"); parent_id && !parent_id->empty()) {
    auto parent = views::find_status(deps.db, *parent_id, api_view(deps, &grant));
    if (!parent) return http::error_response(bhttp::status::not_found, "Record not found");
    request.in_reply_to = parent->ap_id;
  }
  return request;
}

// Tells the streaming hub (when there is one) what changed.
void tell(const services::StatusChangeSink* changes, services::StatusChange change,
          const std::string& ap_id) {
  if (changes && *changes) (*changes)(change, ap_id);
}

// Holds a claimed Idempotency-Key until the status is remembered; a request that ends without
// one (refused, failed) gives the key up for a request waiting with it.
struct KeyHold {
  services::IdempotencyKeys* keys = nullptr;  // null: no key
  std::int64_t token_id = 0;
  std::string key;
  ~KeyHold() {
    if (keys != nullptr) keys->release(token_id, key);
  }
  void remember(std::int64_t status_id, storage::Millis now) {
    if (keys == nullptr) return;
    keys->remember(token_id, key, status_id, now);
    keys = nullptr;
  }
};

asio::awaitable<http::Response> post_status(const ApiDeps& deps,
                                            const services::StatusChangeSink* changes,
                                            http::RequestContext& ctx) {
  auto authorized = authorize(deps, ctx, "write:statuses");
  if (auto* res = std::get_if<http::Response>(&authorized)) co_return std::move(*res);
  const auto grant = std::get<services::TokenGrant>(std::move(authorized));
  auto params = Params::from(ctx);
  if (!params) co_return unprocessable("malformed request body");
  // A retried request with the same Idempotency-Key answers the status the first one made.
  const auto key = std::string(ctx.header("Idempotency-Key").value_or(""));
  if (key.size() > services::IdempotencyKeys::kMaxKeyLength) {
    co_return unprocessable("Idempotency-Key is too long");
  }
  KeyHold hold;
  if (!key.empty()) {
    // Another request with this key may be posting right now: wait for its status.
    auto claiming = deps.idempotency->claim(grant.token.id, key, deps.clock);
    auto claimed = co_await std::move(claiming);
    if (!claimed) {
      co_return http::error_response(bhttp::status::service_unavailable,
                                     "A request with this Idempotency-Key is still running");
    }
    if (claimed->state == services::IdempotencyKeys::Claim::State::done) {
      auto json = views::status_json(deps.db, std::to_string(claimed->status_id),
                                     api_view(deps, &grant));
      if (json) co_return api_json(std::move(*json));
    }
    hold.keys = deps.idempotency.get();
    hold.token_id = grant.token.id;
    hold.key = key;
  }
  auto checked = publish_request(deps, grant, *params);
  if (auto* res = std::get_if<http::Response>(&checked)) co_return std::move(*res);
  auto service = deps.post_service();
  auto publishing = service->publish(std::get<services::PublishRequest>(std::move(checked)));
  auto outcome = co_await std::move(publishing);
  if (!outcome) co_return api_error(deps, ctx, outcome.error());
  hold.remember(outcome->post.id, deps.clock());
  tell(changes, services::StatusChange::created, outcome->post.ap_id);
  if (deps.wake_delivery) deps.wake_delivery();
  auto auditing = audit_write(deps, grant, "post", outcome->post.ap_id);
  co_await std::move(auditing);
  auto json = views::status_json(deps.db, outcome->post, api_view(deps, &grant));
  if (!json) co_return api_error(deps, ctx, json.error());
  co_return api_json(std::move(*json));
}

asio::awaitable<http::Response> edit_status(const ApiDeps& deps,
                                            const services::StatusChangeSink* changes,
                                            http::RequestContext& ctx) {
  auto authorized = authorize(deps, ctx, "write:statuses");
  if (auto* res = std::get_if<http::Response>(&authorized)) co_return std::move(*res);
  const auto grant = std::get<services::TokenGrant>(std::move(authorized));
  auto params = Params::from(ctx);
  if (!params) co_return unprocessable("malformed request body");
  auto post = views::find_status(deps.db, ctx.param("id"), api_view(deps, &grant));
  if (!post || post->author_id != grant.account->id) {
    co_return http::error_response(bhttp::status::not_found, "Record not found");
  }
  services::EditRequest request;
  request.post_url = post->ap_id;
  request.text = params->value("status");
  if (request.text.find_first_not_of(" \t\r\n") == std::string::npos) {
    co_return unprocessable("Validation failed: Text can't be blank");
  }
  if (utf8_length(request.text) > static_cast<std::size_t>(kMaxStatusCharacters)) {
    co_return unprocessable("Validation failed: Text character limit of 5000 exceeded");
  }
  if (auto cw = params->get("spoiler_text")) request.content_warning = *cw;
  request.acting_username = grant.account->username;
  auto service = deps.post_service();
  auto editing = service->edit(std::move(request));
  auto outcome = co_await std::move(editing);
  if (!outcome) co_return api_error(deps, ctx, outcome.error());
  tell(changes, services::StatusChange::edited, outcome->post.ap_id);
  if (deps.wake_delivery) deps.wake_delivery();
  auto auditing = audit_write(deps, grant, "edit", outcome->post.ap_id);
  co_await std::move(auditing);
  auto json = views::status_json(deps.db, ctx.param("id"), api_view(deps, &grant));
  if (!json) co_return api_error(deps, ctx, json.error());
  co_return api_json(std::move(*json));
}

asio::awaitable<http::Response> get_status(const ApiDeps& deps, http::RequestContext& ctx) {
  auto reader = optional_reader(deps, ctx);
  if (auto* res = std::get_if<http::Response>(&reader)) co_return std::move(*res);
  const auto& grant = std::get<std::optional<services::TokenGrant>>(reader);
  auto json = views::status_json(deps.db, ctx.param("id"), api_view(deps, grant ? &*grant : nullptr));
  if (!json) co_return api_error(deps, ctx, json.error());
  co_return api_json(std::move(*json));
}

asio::awaitable<http::Response> get_context(const ApiDeps& deps, http::RequestContext& ctx) {
  auto reader = optional_reader(deps, ctx);
  if (auto* res = std::get_if<http::Response>(&reader)) co_return std::move(*res);
  const auto& grant = std::get<std::optional<services::TokenGrant>>(reader);
  auto json =
      views::context_json(deps.db, ctx.param("id"), api_view(deps, grant ? &*grant : nullptr));
  if (!json) co_return api_error(deps, ctx, json.error());
  co_return api_json(std::move(*json));
}

// source: the caller's own status.
asio::awaitable<http::Response> status_source(const ApiDeps& deps, http::RequestContext& ctx) {
  auto authorized = authorize(deps, ctx, "read:statuses", true);
  if (auto* res = std::get_if<http::Response>(&authorized)) co_return std::move(*res);
  const auto& grant = std::get<services::TokenGrant>(authorized);
  auto json = views::status_source_json(deps.db, ctx.param("id"), api_view(deps, &grant));
  if (!json) co_return api_error(deps, ctx, json.error());
  co_return api_json(std::move(*json));
}

// history: every version of a status the caller may see; like the status itself, a public one
// needs no token (Mastodon: authorize_if_got_token!).
asio::awaitable<http::Response> status_history(const ApiDeps& deps, http::RequestContext& ctx) {
  auto reader = optional_reader(deps, ctx);
  if (auto* res = std::get_if<http::Response>(&reader)) co_return std::move(*res);
  const auto& grant = std::get<std::optional<services::TokenGrant>>(reader);
  auto json = views::status_history_json(deps.db, ctx.param("id"),
                                         api_view(deps, grant ? &*grant : nullptr));
  if (!json) co_return api_error(deps, ctx, json.error());
  co_return api_json(std::move(*json));
}

asio::awaitable<http::Response> delete_status(const ApiDeps& deps,
                                              const services::StatusChangeSink* changes,
                                              http::RequestContext& ctx) {
  auto authorized = authorize(deps, ctx, "write:statuses");
  if (auto* res = std::get_if<http::Response>(&authorized)) co_return std::move(*res);
  const auto grant = std::get<services::TokenGrant>(std::move(authorized));
  const auto view = api_view(deps, &grant);
  auto post = views::find_status(deps.db, ctx.param("id"), view);
  // Another account's status is "not found", as on Mastodon.
  if (!post || post->author_id != grant.account->id) {
    co_return http::error_response(bhttp::status::not_found, "Record not found");
  }
  auto json = views::status_json(deps.db, *post, view);
  if (!json) co_return api_error(deps, ctx, json.error());
  auto service = deps.post_service();
  auto removing = service->remove(post->ap_id, grant.account->username);
  auto outcome = co_await std::move(removing);
  if (!outcome) co_return api_error(deps, ctx, outcome.error());
  tell(changes, services::StatusChange::deleted, post->ap_id);
  if (deps.wake_delivery) deps.wake_delivery();
  auto auditing = audit_write(deps, grant, "delete", post->ap_id);
  co_await std::move(auditing);
  co_return api_json(std::move(*json));
}

}  // namespace

void register_api_status_routes(http::Router& router, const ApiDeps& deps,
                                services::StatusChangeSink on_change) {
  const http::RouteOptions body{api_body_types()};
  const ApiDeps* d = &deps;
  // Shared by the three write routes; lives as long as the router's handlers.
  auto changes = std::make_shared<const services::StatusChangeSink>(std::move(on_change));
  router.add(bhttp::verb::post, "/api/v1/statuses",
             [d, changes](http::RequestContext& ctx) { return post_status(*d, changes.get(), ctx); },
             body);
  router.add(bhttp::verb::get, "/api/v1/statuses/{id}",
             [d](http::RequestContext& ctx) { return get_status(*d, ctx); });
  router.add(bhttp::verb::put, "/api/v1/statuses/{id}",
             [d, changes](http::RequestContext& ctx) { return edit_status(*d, changes.get(), ctx); },
             body);
  router.add(bhttp::verb::delete_, "/api/v1/statuses/{id}",
             [d, changes](http::RequestContext& ctx) {
               return delete_status(*d, changes.get(), ctx);
             });
  router.add(bhttp::verb::get, "/api/v1/statuses/{id}/source",
             [d](http::RequestContext& ctx) { return status_source(*d, ctx); });
  router.add(bhttp::verb::get, "/api/v1/statuses/{id}/history",
             [d](http::RequestContext& ctx) { return status_history(*d, ctx); });
  router.add(bhttp::verb::get, "/api/v1/statuses/{id}/context",
             [d](http::RequestContext& ctx) { return get_context(*d, ctx); });
}

}  // namespace civicpub::server::routes
