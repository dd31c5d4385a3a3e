#include "server/routes/oauth_routes.hpp"
#include "server/routes/oauth_authorize_routes.hpp"

#include "federation/as2/json.hpp"
#include "federation/crypto/base64.hpp"
#include "server/html/oauth_page.hpp"
#include "server/http/api_status.hpp"
#include "server/http/response.hpp"
#include "server/routes/read_responses.hpp"
#include "server/services/login_throttle.hpp"
#include "server/services/logins.hpp"
#include "server/services/staff.hpp"

namespace civicpub::server::routes {
namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using federation::as2::JsonWriter;
using services::OAuthError;

namespace {

http::Response bad_body() {
  return http::error_response(bhttp::status::unprocessable_entity, "malformed request body");
}

void scopes_array(JsonWriter& out, std::string_view scopes) {
  out.key("scopes");
  out.start_array();
  auto set = services::ScopeSet::parse(scopes);
  if (set) {
    for (const auto& s : set->scopes()) out.string(s);
  }
  out.end_array();
}

std::string app_json(const storage::OAuthAppRecord& app, const std::string* secret) {
  JsonWriter out;
  out.start_object();
  out.field("id", std::to_string(app.id));
  out.field("name", app.name);
  out.key("website");
  if (app.website.empty()) out.null(); else out.string(app.website);
  scopes_array(out, app.scopes);
  // redirect_uri: Mastodon's newline-separated form; redirect_uris: the 4.3 array.
  out.field("redirect_uri", app.redirect_uris);
  out.key("redirect_uris");
  out.start_array();
  std::size_t i = 0;
  while (i <= app.redirect_uris.size()) {
    auto end = app.redirect_uris.find('\n', i);
    if (end == std::string::npos) end = app.redirect_uris.size();
    if (end > i) out.string(std::string_view(app.redirect_uris).substr(i, end - i));
    i = end + 1;
  }
  out.end_array();
  out.field("vapid_key", "");
  if (secret) {
    out.field("client_id", app.client_id);
    out.field("client_secret", *secret);
    out.key("client_secret_expires_at");
    out.int64(0);
  }
  out.end_object();
  return out.str();
}

// RFC 6749 section 5.2: {"error": code, "error_description": text}; 401 for invalid_client,
// 400 otherwise. Throttled logins answer 429 with a Retry-After.
http::Response oauth_error(const boost::system::error_code& ec) {
  if (ec == services::LoginError::throttled) {
    auto res = http::error_response(bhttp::status::too_many_requests, ec.message());
    res.set(bhttp::field::retry_after, "300");
    return res;
  }
  if (ec.category() != services::oauth_error_category()) {
    return http::error_response(http::api_status_for(civicpub::kind_of(ec)),
                                civicpub::kind_of(ec) == civicpub::ErrorKind::internal
                                    ? "internal error"
                                    : ec.message());
  }
  std::string_view description;
  switch (static_cast<OAuthError>(ec.value())) {
    case OAuthError::invalid_client: description = "Client authentication failed."; break;
    case OAuthError::invalid_grant:
      description = "The provided authorization grant is invalid, expired, revoked, does not "
                    "match the redirection URI used in the authorization request, or was issued "
                    "to another client.";
      break;
    case OAuthError::invalid_scope: description = "The requested scope is invalid or unknown."; break;
    case OAuthError::unsupported_grant_type:
      description = "The authorization grant type is not supported.";
      break;
    default: description = "The request is missing a parameter or is otherwise malformed."; break;
  }
  JsonWriter out;
  out.start_object();
  out.field("error", ec.message());
  out.field("error_description", description);
  out.end_object();
  const auto status = ec == OAuthError::invalid_client ? bhttp::status::unauthorized
                                                       : bhttp::status::bad_request;
  return http::json_response(status, out.str());
}

http::Response token_json(const services::IssuedToken& token) {
  JsonWriter out;
  out.start_object();
  out.field("access_token", token.access_token);
  out.field("token_type", "Bearer");
  out.field("scope", token.record.scopes);
  out.field("created_at", token.record.created_at / 1000);
  if (token.record.expires_at) {
    out.field("expires_in", (*token.record.expires_at - token.record.created_at) / 1000);
  }
  out.end_object();
  auto res = api_json(out.str());
  res.set(bhttp::field::cache_control, "no-store");
  return res;
}

// client_id and client_secret from the body, or HTTP Basic (RFC 6749 section 2.3.1).
std::pair<std::string, std::string> client_credentials(const http::RequestContext& ctx,
                                                       const Params& params) {
  std::string id = params.value("client_id");
  std::string secret = params.value("client_secret");
  auto header = ctx.header("Authorization");
  if (id.empty() && header && header->size() > 6 && header->substr(0, 6) == "Basic ") {
    auto decoded = federation::crypto::base64_decode(header->substr(6));
    if (decoded) {
      const auto colon = decoded->find(':');
      if (colon != std::string::npos) {
        auto user = form_decode(std::string_view(*decoded).substr(0, colon));
        auto pass = form_decode(std::string_view(*decoded).substr(colon + 1));
        if (user && pass) return {std::move(*user), std::move(*pass)};
      }
    }
  }
  return {std::move(id), std::move(secret)};
}

asio::awaitable<http::Response> register_app(const ApiDeps& deps, http::RequestContext& ctx) {
  auto params = Params::from(ctx);
  if (!params) co_return bad_body();
  services::NewApp app;
  app.name = params->value("client_name");
  // Mastodon takes redirect_uris as one string (newline- or space-separated) or as an array.
  for (const auto& uri : params->all("redirect_uris")) {
    if (!app.redirect_uris.empty()) app.redirect_uris += '\n';
    app.redirect_uris += uri;
  }
  app.scopes = params->value("scopes");
  app.website = params->value("website");
  if (app.name.empty()) {
    co_return http::error_response(bhttp::status::unprocessable_entity,
                                   "Validation failed: Application name can't be blank");
  }
  auto registering = deps.oauth.register_app(std::move(app));
  auto registered = co_await std::move(registering);
  if (!registered) {
    if (registered.error() == OAuthError::invalid_redirect_uri) {
      co_return http::error_response(bhttp::status::unprocessable_entity,
                                     "Validation failed: Redirect URI must be an absolute URI.");
    }
    if (registered.error() == OAuthError::invalid_scope) {
      co_return http::error_response(bhttp::status::unprocessable_entity,
                                     "Validation failed: Scopes are invalid");
    }
    co_return api_error(deps, ctx, registered.error());
  }
  co_return api_json(app_json(registered->app, &registered->client_secret));
}

asio::awaitable<http::Response> verify_app(const ApiDeps& deps, http::RequestContext& ctx) {
  auto grant = authorize(deps, ctx, "", false);
  if (auto* res = std::get_if<http::Response>(&grant)) co_return std::move(*res);
  co_return api_json(app_json(std::get<services::TokenGrant>(grant).app, nullptr));
}

asio::awaitable<http::Response> token(const ApiDeps& deps, http::RequestContext& ctx) {
  auto params = Params::from(ctx);
  if (!params) co_return oauth_error(OAuthError::invalid_request);
  auto [client_id, client_secret] = client_credentials(ctx, *params);
  auto app = deps.oauth.authenticate_client(client_id, client_secret);
  if (!app) co_return oauth_error(app.error());
  const std::string grant_type = params->value("grant_type");
  Result<services::IssuedToken> issued = make_error_code(OAuthError::unsupported_grant_type);
  // Named awaitables: no temporaries inside a co_await expression (GCC 12).
  if (grant_type == "password") {
    auto granting = deps.oauth.password_grant(*app, params->value("username"),
                                              params->value("password"), params->value("scope"),
                                              ctx.remote_address);
    issued = co_await std::move(granting);
  } else if (grant_type == "authorization_code") {
    auto granting = deps.oauth.code_grant(*app, params->value("code"),
                                          params->value("redirect_uri"),
                                          params->value("code_verifier"));
    issued = co_await std::move(granting);
  } else if (grant_type == "client_credentials") {
    auto granting = deps.oauth.client_credentials_grant(*app, params->value("scope"));
    issued = co_await std::move(granting);
  } else if (grant_type.empty()) {
    issued = make_error_code(OAuthError::invalid_request);
  }
  if (!issued) {
    if (issued.error() == OAuthError::invalid_grant && deps.log) {
      deps.log->info("token request ({}) for app {} from {} refused", grant_type, app->id,
                     ctx.remote_address);
    }
    co_return oauth_error(issued.error());
  }
  co_return token_json(*issued);
}

asio::awaitable<http::Response> revoke(const ApiDeps& deps, http::RequestContext& ctx,
                                       const std::function<void(std::int64_t)>& revoked) {
  auto params = Params::from(ctx);
  if (!params) co_return oauth_error(OAuthError::invalid_request);
  auto [client_id, client_secret] = client_credentials(ctx, *params);
  auto app = deps.oauth.authenticate_client(client_id, client_secret);
  if (!app) {
    co_return http::error_response(bhttp::status::forbidden, "unauthorized_client");
  }
  auto revoking = deps.oauth.revoke(*app, params->value("token"));
  auto done = co_await std::move(revoking);
  if (!done) co_return api_error(deps, ctx, done.error());
  if (*done && revoked) revoked(**done);
  co_return api_json("{}");
}

http::Response metadata(const ApiDeps& deps) {
  const auto& base = deps.instance.base_url;
  JsonWriter out;
  out.start_object();
  out.field("issuer", base + "/");
  out.field("service_documentation", base + "/");
  out.field("authorization_endpoint", base + "/oauth/authorize");
  out.field("token_endpoint", base + "/oauth/token");
  out.field("revocation_endpoint", base + "/oauth/revoke");
  out.field("app_registration_endpoint", base + "/api/v1/apps");
  out.key("scopes_supported");
  out.start_array();
  for (const char* s : {"read", "write", "follow", "push", "profile", "read:accounts",
                        "read:statuses", "write:statuses", "write:accounts", "read:follows",
                        "write:follows"}) {
    out.string(s);
  }
  out.end_array();
  out.string_array("response_types_supported", {"code"});
  out.string_array("response_modes_supported", {"query"});
  out.string_array("grant_types_supported",
                   {"authorization_code", "password", "client_credentials"});
  out.string_array("token_endpoint_auth_methods_supported",
                   {"client_secret_basic", "client_secret_post"});
  out.string_array("code_challenge_methods_supported", {"S256"});
  out.end_object();
  return api_json(out.str());
}

}  // namespace

void register_oauth_routes(http::Router& router, const ApiDeps& deps,
                           std::function<void(std::int64_t token_id)> token_revoked) {
  const http::RouteOptions body{api_body_types()};
  const ApiDeps* d = &deps;
  // Kept by the router's handler for as long as the routes exist.
  auto revoked = std::make_shared<const std::function<void(std::int64_t)>>(std::move(token_revoked));
  router.add(bhttp::verb::post, "/api/v1/apps",
             [d](http::RequestContext& ctx) { return register_app(*d, ctx); }, body);
  router.add(bhttp::verb::get, "/api/v1/apps/verify_credentials",
             [d](http::RequestContext& ctx) { return verify_app(*d, ctx); });
  router.add(bhttp::verb::post, "/oauth/token",
             [d](http::RequestContext& ctx) { return token(*d, ctx); }, body);
  router.add(bhttp::verb::post, "/oauth/revoke",
             [d, revoked](http::RequestContext& ctx) { return revoke(*d, ctx, *revoked); }, body);
  register_oauth_authorize_routes(router, deps);
  router.add(bhttp::verb::get, "/.well-known/oauth-authorization-server",
             [d](http::RequestContext&) -> asio::awaitable<http::Response> {
               co_return metadata(*d);
             });
}

}  // namespace civicpub::server::routes
