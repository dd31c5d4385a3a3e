// The OAuth login and consent page (GET/POST /oauth/authorize): an app asks to act for an
// account; the person signs in with their login and password and allows it. Plain HTML, no
// script; the form carries the authorization request in hidden fields, so no session cookie is
// needed (and there is no cookie to forge a request with).
#pragma once

#include "federation/as2/instance_info.hpp"

#include <string>
#include <vector>

namespace civicpub::server::html {

struct AuthorizeForm {
  std::string app_name;
  std::string app_website;  // may be empty
  std::vector<std::string> scopes;
  // The request, echoed back in hidden fields.
  std::string client_id;
  std::string redirect_uri;
  std::string scope;
  std::string state;
  std::string code_challenge;
  std::string code_challenge_method;
  std::string login;   // prefilled after a failed attempt
  std::string act_as;  // the organisation a staff member acts as; empty: their own account
  std::string error;  // shown above the form; empty: none
};

std::string authorize_page(const federation::as2::InstanceInfo& instance, const AuthorizeForm& form);

// The page showing an authorization code for an out-of-band client
// (redirect_uri urn:ietf:wg:oauth:2.0:oob): the person copies it into the app.
std::string code_page(const federation::as2::InstanceInfo& instance, const std::string& app_name,
                      const std::string& code);

// A request the page cannot serve (unknown app, unregistered redirect URI): no redirect, since
// the redirect URI cannot be trusted.
std::string authorize_error_page(const federation::as2::InstanceInfo& instance,
                                 const std::string& message);

// The Content-Security-Policy for these pages: the site's, with form-action also allowing the
// origin (or custom scheme) of `redirect_uri`, since browsers apply form-action to the redirect
// that follows the form submission.
std::string authorize_csp(const std::string& redirect_uri);

}  // namespace civicpub::server::html
