// The login and consent page (GET/POST /oauth/authorize, issue 13): the person signs in with
// their login, password and (when they turned it on) a TOTP code, may choose an organisation
// they act for, and the app gets an authorization code (redirected, or shown for
// urn:ietf:wg:oauth:2.0:oob).
#include "server/routes/oauth_authorize_routes.hpp"

#include "server/html/oauth_page.hpp"
#include "server/http/response.hpp"
#include "server/routes/read_responses.hpp"
#include "server/services/login_throttle.hpp"
#include "server/services/logins.hpp"
#include "server/services/staff.hpp"
#include "server/services/two_factor.hpp"

namespace civicpub::server::routes {
namespace asio = boost::asio;
namespace bhttp = boost::beast::http;

namespace {

http::Response bad_body() {
  return http::error_response(bhttp::status::unprocessable_entity, "malformed request body");
}

http::Response authorize_html(bhttp::status status, std::string body, const std::string& uri) {
  auto res = html_response(status, std::move(body));
  res.set("Content-Security-Policy", html::authorize_csp(uri));
  res.set("X-Frame-Options", "DENY");
  res.set("Referrer-Policy", "no-referrer");
  res.set(bhttp::field::cache_control, "no-store");
  return res;
}

// The form's fields from the request; the app must exist and redirect_uri be one of its own,
// or the page refuses (never redirecting to an unregistered URI).
struct AuthorizeRequest {
  storage::OAuthAppRecord app;
  html::AuthorizeForm form;
};

std::variant<AuthorizeRequest, http::Response> read_authorize(const ApiDeps& deps,
                                                               const Params& params) {
  auto refuse = [&](const std::string& message) {
    return authorize_html(bhttp::status::bad_request,
                          html::authorize_error_page(deps.instance, message), "");
  };
  auto app = deps.oauth.find_app(params.value("client_id"));
  if (!app) return refuse("The app is not registered on this server.");
  AuthorizeRequest r{std::move(*app), {}};
  auto& f = r.form;
  f.client_id = r.app.client_id;
  f.app_name = r.app.name;
  f.app_website = r.app.website;
  f.redirect_uri = params.value("redirect_uri");
  if (f.redirect_uri.empty()) {
    const auto nl = r.app.redirect_uris.find('\n');
    f.redirect_uri = r.app.redirect_uris.substr(0, nl);
  }
  if (!services::OAuthService::redirect_uri_registered(r.app, f.redirect_uri)) {
    return refuse("The app asked to return to an address it did not register.");
  }
  f.scope = params.value("scope");
  auto scopes = deps.oauth.requested_scopes(r.app, f.scope);
  if (!scopes) return refuse("The app asked for permissions it did not register.");
  f.scopes = scopes->scopes();
  f.state = params.value("state").substr(0, 1000);
  f.code_challenge = params.value("code_challenge");
  f.code_challenge_method = params.value("code_challenge_method");
  if (!f.code_challenge.empty() && f.code_challenge_method != "S256") {
    return refuse("Only the S256 code challenge method is supported.");
  }
  return r;
}

std::string with_query(const std::string& uri, const std::string& query) {
  return uri + (uri.find('?') == std::string::npos ? "?" : "&") + query;
}

asio::awaitable<http::Response> authorize_get(const ApiDeps& deps, http::RequestContext& ctx) {
  auto params = Params::from_query(ctx.query);
  if (!params) params.emplace();
  auto request = read_authorize(deps, *params);
  if (auto* res = std::get_if<http::Response>(&request)) co_return std::move(*res);
  const auto& r = std::get<AuthorizeRequest>(request);
  if (params->value("response_type") != "code") {
    co_return redirect_response(
        with_query(r.form.redirect_uri, "error=unsupported_response_type"));
  }
  co_return authorize_html(bhttp::status::ok, html::authorize_page(deps.instance, r.form),
                           r.form.redirect_uri);
}

// A failed sign-in, shown on the page again (the login kept, the password and code not).
http::Response sign_in_refused(const ApiDeps& deps, AuthorizeRequest& r,
                               const boost::system::error_code& ec) {
  auto status = bhttp::status::unauthorized;
  if (ec == services::LoginError::throttled) {
    status = bhttp::status::too_many_requests;
    r.form.error = "Too many failed sign-ins. Please wait a few minutes.";
  } else if (ec == services::TwoFactorError::code_required) {
    r.form.error = "Enter the code from your authenticator app.";
  } else if (ec == services::TwoFactorError::wrong_code) {
    r.form.error = "Wrong or already used code from your authenticator app.";
  } else {
    r.form.error = "Wrong e-mail address, username or password.";
  }
  return authorize_html(status, html::authorize_page(deps.instance, r.form), r.form.redirect_uri);
}

bool shown_on_page(const boost::system::error_code& ec) {
  return ec.category() == services::login_error_category() ||
         ec.category() == services::two_factor_error_category();
}

asio::awaitable<http::Response> authorize_post(const ApiDeps& deps, http::RequestContext& ctx) {
  auto params = Params::from(ctx);
  if (!params) co_return bad_body();
  auto request = read_authorize(deps, *params);
  if (auto* res = std::get_if<http::Response>(&request)) co_return std::move(*res);
  AuthorizeRequest r = std::move(std::get<AuthorizeRequest>(request));
  std::string state_query =
      r.form.state.empty() ? std::string() : "&state=" + form_encode(r.form.state);
  if (params->value("decision") == "deny") {
    if (r.form.redirect_uri == services::kOutOfBand) {
      co_return authorize_html(bhttp::status::ok,
                               html::authorize_error_page(deps.instance, "You denied the app."),
                               "");
    }
    co_return redirect_response(
        with_query(r.form.redirect_uri, "error=access_denied" + state_query));
  }
  r.form.login = params->value("login");
  r.form.act_as = params->value("act_as");
  auto account = services::authenticate(deps.db, deps.throttle, r.form.login,
                                        params->value("password"), ctx.remote_address);
  if (!account) co_return sign_in_refused(deps, r, account.error());
  // The second factor, when the person turned it on (services/two_factor.hpp).
  auto checking = services::check_two_factor(deps.db, deps.throttle, account->id,
                                             params->value("otp"), ctx.remote_address,
                                             deps.clock() / 1000);
  auto second = co_await std::move(checking);
  if (!second) {
    if (shown_on_page(second.error())) co_return sign_in_refused(deps, r, second.error());
    co_return api_error(deps, ctx, second.error());
  }
  // A staff member may choose an organisation they hold a grant for (services/staff.hpp).
  auto acting = services::acting_account(deps.db, *account, r.form.act_as);
  if (!acting) {
    if (acting.error() != services::StaffError::no_grant) co_return api_error(deps, ctx, acting.error());
    r.form.error = "You may not act for that account.";
    co_return authorize_html(bhttp::status::forbidden, html::authorize_page(deps.instance, r.form),
                             r.form.redirect_uri);
  }
  std::optional<std::int64_t> staff_id;
  if (acting->id != account->id) staff_id = account->id;
  auto issuing = deps.oauth.issue_code(r.app, acting->id, staff_id, r.form.redirect_uri,
                                       r.form.scope, r.form.code_challenge,
                                       r.form.code_challenge_method);
  auto code = co_await std::move(issuing);
  if (!code) co_return api_error(deps, ctx, code.error());
  if (r.form.redirect_uri == services::kOutOfBand) {
    co_return authorize_html(bhttp::status::ok, html::code_page(deps.instance, r.app.name, *code),
                             "");
  }
  co_return redirect_response(
      with_query(r.form.redirect_uri, "code=" + form_encode(*code) + state_query));
}

}  // namespace

void register_oauth_authorize_routes(http::Router& router, const ApiDeps& deps) {
  const http::RouteOptions body{api_body_types()};
  const ApiDeps* d = &deps;
  // toot opens /oauth/authorize/ (with the slash).
  for (const char* path : {"/oauth/authorize", "/oauth/authorize/"}) {
    router.add(bhttp::verb::get, path,
               [d](http::RequestContext& ctx) { return authorize_get(*d, ctx); });
  }
  router.add(bhttp::verb::post, "/oauth/authorize",
             [d](http::RequestContext& ctx) { return authorize_post(*d, ctx); }, body);
}

}  // namespace civicpub::server::routes
