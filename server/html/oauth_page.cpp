#include "server/html/oauth_page.hpp"

#include "server/html/escape.hpp"
#include "server/html/layout.hpp"

namespace civicpub::server::html {
namespace {

std::string_view scope_text(std::string_view scope) {
  if (scope == "read") return "read your timelines, posts, notifications and profile";
  if (scope == "write") return "post, edit and delete for you, and change your profile";
  if (scope == "follow") return "follow and unfollow accounts for you";
  if (scope == "push") return "send you push notifications";
  if (scope == "profile") return "see your profile";
  return {};
}

void hidden(std::string& out, std::string_view name, std::string_view value) {
  out += "<input type=\"hidden\" name=\"";
  append_escaped(out, name);
  out += "\" value=\"";
  append_escaped(out, value);
  out += "\">\n";
}

}  // namespace

std::string authorize_page(const federation::as2::InstanceInfo& instance,
                           const AuthorizeForm& form) {
  std::string body;
  body += "<h1>Sign in to allow ";
  append_escaped(body, form.app_name);
  body += "</h1>\n<p>The app <strong>";
  append_escaped(body, form.app_name);
  body += "</strong>";
  if (!safe_href(form.app_website).empty()) {
    body += " (<a href=\"";
    append_escaped(body, safe_href(form.app_website));
    body += "\" rel=\"noopener noreferrer\">";
    append_escaped(body, form.app_website);
    body += "</a>)";
  }
  body += " asks to use your account on ";
  append_escaped(body, instance.name);
  body += ". It may:</p>\n<ul>\n";
  for (const auto& scope : form.scopes) {
    body += "<li>";
    const auto text = scope_text(scope);
    append_escaped(body, text.empty() ? std::string_view(scope) : text);
    body += "</li>\n";
  }
  body += "</ul>\n";
  if (!form.error.empty()) {
    body += "<p role=\"alert\"><strong>";
    append_escaped(body, form.error);
    body += "</strong></p>\n";
  }
  body += "<form method=\"post\" action=\"/oauth/authorize\">\n";
  hidden(body, "client_id", form.client_id);
  hidden(body, "redirect_uri", form.redirect_uri);
  hidden(body, "response_type", "code");
  hidden(body, "scope", form.scope);
  hidden(body, "state", form.state);
  hidden(body, "code_challenge", form.code_challenge);
  hidden(body, "code_challenge_method", form.code_challenge_method);
  body += "<p><label for=\"login\">E-mail address or username</label><br>\n"
          "<input id=\"login\" name=\"login\" type=\"text\" autocomplete=\"username\" "
          "required value=\"";
  append_escaped(body, form.login);
  body += "\"></p>\n"
          "<p><label for=\"password\">Password</label><br>\n"
          "<input id=\"password\" name=\"password\" type=\"password\" "
          "autocomplete=\"current-password\" required></p>\n"
          // Asked of everyone (the form has no second step to carry the password to): people
          // without a second factor leave it empty.
          "<p><label for=\"otp\">Code from your authenticator app (only if you turned on "
          "two-factor sign-in)</label><br>\n"
          "<input id=\"otp\" name=\"otp\" type=\"text\" inputmode=\"numeric\" "
          "pattern=\"[0-9]{6}\" maxlength=\"6\" autocomplete=\"one-time-code\"></p>\n"
          "<p><label for=\"act_as\">Act as (staff only: the username of the organisation "
          "account you post for; leave empty for your own account)</label><br>\n"
          "<input id=\"act_as\" name=\"act_as\" type=\"text\" autocomplete=\"off\" "
          "value=\"";
  append_escaped(body, form.act_as);
  body += "\"></p>\n"
          "<p><button type=\"submit\" name=\"decision\" value=\"allow\">Sign in and allow</button>"
          "</p>\n</form>\n"
          "<form method=\"post\" action=\"/oauth/authorize\">\n";
  hidden(body, "client_id", form.client_id);
  hidden(body, "redirect_uri", form.redirect_uri);
  hidden(body, "state", form.state);
  body += "<p><button type=\"submit\" name=\"decision\" value=\"deny\">Deny</button></p>\n"
          "</form>\n";
  auto meta = page_meta(instance, "Allow " + form.app_name);
  meta.noindex = true;
  return page(meta, body);
}

std::string code_page(const federation::as2::InstanceInfo& instance, const std::string& app_name,
                      const std::string& code) {
  std::string body = "<h1>Your authorization code</h1>\n<p>Copy this code into ";
  append_escaped(body, app_name);
  body += ":</p>\n<p><code id=\"code\">";
  append_escaped(body, code);
  body += "</code></p>\n";
  auto meta = page_meta(instance, "Authorization code");
  meta.noindex = true;
  return page(meta, body);
}

std::string authorize_error_page(const federation::as2::InstanceInfo& instance,
                                 const std::string& message) {
  std::string body = "<h1>This sign-in request cannot be used</h1>\n<p>";
  append_escaped(body, message);
  body += "</p>\n";
  auto meta = page_meta(instance, "Sign-in request refused");
  meta.noindex = true;
  return page(meta, body);
}

std::string authorize_csp(const std::string& redirect_uri) {
  std::string source;
  const auto scheme_end = redirect_uri.find("://");
  if (redirect_uri.starts_with("http://") || redirect_uri.starts_with("https://")) {
    const auto path = redirect_uri.find_first_of("/?", scheme_end + 3);
    source = redirect_uri.substr(0, path);
  } else if (const auto colon = redirect_uri.find(':'); colon != std::string::npos &&
                                                         redirect_uri.rfind("urn:", 0) != 0) {
    source = redirect_uri.substr(0, colon + 1);
  }
  // Only characters a CSP source expression may hold; anything else drops the extra source.
  for (char c : source) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == ':' || c == '/' || c == '.' || c == '-' || c == '+' || c == '[' ||
                    c == ']';
    if (!ok) {
      source.clear();
      break;
    }
  }
  return "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; "
         "base-uri 'none'; form-action 'self'" +
         (source.empty() ? std::string() : " " + source) + "; frame-ancestors 'none'";
}

}  // namespace civicpub::server::html
