// OAuth: PKCE, scopes, hashed secrets and tokens, the grants, revocation and expiry.
#include "server/services/oauth_service.hpp"

#include "federation/crypto/random.hpp"
#include "server/services/logins.hpp"
#include "server/services/scopes.hpp"
#include "storage/oauth.hpp"
#include "tests/unit/server/services/services_fixture.hpp"

#include <catch2/catch.hpp>

using namespace civicpub;
using server::services::OAuthError;
using server::services::ScopeSet;

namespace {

struct OAuthFixture : testing::ServicesFixture {
  server::services::LoginThrottle throttle{{}, [this] { return now; }};
  server::services::OAuthService oauth{*db, throttle, [this] { return now; }};

  OAuthFixture() {
    REQUIRE(server::services::set_password(*db, "town", "correct horse", now));
    REQUIRE(server::services::set_email(*db, "town", "comms@town.example", now));
  }

  server::services::RegisteredApp app(std::string scopes = "read write follow push",
                                      std::string redirect = "urn:ietf:wg:oauth:2.0:oob") {
    auto registered = test::run(oauth.register_app({"Test app", redirect, scopes, ""}));
    REQUIRE(registered);
    return *registered;
  }
};

// RFC 7636 appendix B.
constexpr std::string_view kVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
constexpr std::string_view kChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

}  // namespace

TEST_CASE("PKCE S256 matches the RFC 7636 example and nothing else") {
  CHECK(server::services::pkce_s256_matches(kVerifier, kChallenge));
  CHECK_FALSE(server::services::pkce_s256_matches("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXl",
                                                  kChallenge));
  CHECK_FALSE(server::services::pkce_s256_matches("short", kChallenge));
  // The plain method (verifier == challenge) is not accepted.
  CHECK_FALSE(server::services::pkce_s256_matches(kChallenge, kChallenge));
  CHECK_FALSE(server::services::pkce_s256_matches(
      std::string(kVerifier) + "!", kChallenge));  // a character outside the unreserved set
}

TEST_CASE("scopes: top-level scopes grant their sub-scopes, follow its legacy set") {
  auto rw = ScopeSet::parse("read write").value();
  CHECK(rw.grants("write:statuses"));
  CHECK(rw.grants("read:accounts"));
  CHECK(rw.grants("profile"));
  CHECK_FALSE(rw.grants("follow"));
  CHECK_FALSE(rw.grants("push"));

  auto read = ScopeSet::parse("read").value();
  CHECK_FALSE(read.grants("write:statuses"));
  CHECK_FALSE(read.grants("write"));

  auto sub = ScopeSet::parse("read:statuses+write:statuses").value();
  CHECK(sub.grants("write:statuses"));
  CHECK_FALSE(sub.grants("write:accounts"));
  CHECK_FALSE(sub.grants("read:accounts"));
  CHECK_FALSE(sub.grants("profile"));

  auto follow = ScopeSet::parse("follow").value();
  CHECK(follow.grants("write:follows"));
  CHECK_FALSE(follow.grants("write:statuses"));

  CHECK(ScopeSet::parse("profile").value().grants("profile"));
  CHECK(ScopeSet::parse("").value().text() == "read");
  CHECK_FALSE(ScopeSet::parse("read admin:everything"));
  CHECK_FALSE(ScopeSet::parse("write:nonsense"));
  CHECK(rw.covers(sub));
  CHECK_FALSE(read.covers(rw));
}

TEST_CASE_METHOD(OAuthFixture, "client secrets and tokens are stored only as SHA-256") {
  auto registered = app();
  CHECK(registered.app.secret_hash == federation::crypto::sha256_hex(registered.client_secret));
  CHECK(registered.app.secret_hash != registered.client_secret);
  CHECK(registered.client_secret.size() == 43);

  auto token = test::run(oauth.password_grant(registered.app, "town", "correct horse", "", "1.2.3.4"));
  REQUIRE(token);
  CHECK(token->record.token_hash == federation::crypto::sha256_hex(token->access_token));
  auto by_clear = db->read([&](storage::Connection& c) {
    return storage::oauth::find_token(c, token->access_token);
  });
  REQUIRE(by_clear);
  CHECK_FALSE(*by_clear);  // the clear token is nowhere in the table
  auto grant = oauth.authenticate_token(token->access_token);
  REQUIRE(grant);
  REQUIRE(grant->account);
  CHECK(grant->account->username == "town");
  CHECK(grant->scopes.text() == "read write follow push");

  CHECK(oauth.authenticate_client(registered.app.client_id, registered.client_secret));
  CHECK(oauth.authenticate_client(registered.app.client_id, "wrong").error() ==
        OAuthError::invalid_client);
  CHECK(oauth.authenticate_token("not-a-token").error() == OAuthError::invalid_token);
}

TEST_CASE_METHOD(OAuthFixture, "the password grant takes an e-mail address or a username") {
  auto registered = app("read write");
  CHECK(test::run(oauth.password_grant(registered.app, "comms@town.example", "correct horse",
                                       "read", "1.2.3.4")));
  CHECK(test::run(oauth.password_grant(registered.app, "COMMS@town.example", "correct horse",
                                       "read", "1.2.3.4")));
  CHECK(test::run(oauth.password_grant(registered.app, "@town", "correct horse", "", "1.2.3.4")));
  CHECK(test::run(oauth.password_grant(registered.app, "town", "wrong horse", "", "1.2.3.4"))
            .error() == OAuthError::invalid_grant);
  CHECK(test::run(oauth.password_grant(registered.app, "nobody", "correct horse", "", "1.2.3.4"))
            .error() == OAuthError::invalid_grant);
  // More than the app registered.
  CHECK(test::run(oauth.password_grant(registered.app, "town", "correct horse", "read push",
                                       "1.2.3.4"))
            .error() == OAuthError::invalid_scope);
  auto narrow = test::run(oauth.password_grant(registered.app, "town", "correct horse", "read",
                                               "1.2.3.4"));
  REQUIRE(narrow);
  auto grant = oauth.authenticate_token(narrow->access_token);
  REQUIRE(grant);
  CHECK_FALSE(grant->scopes.grants("write:statuses"));
}

TEST_CASE_METHOD(OAuthFixture, "failed logins are throttled per account, whatever the password") {
  auto registered = app();
  for (int i = 0; i < 5; ++i) {
    CHECK(test::run(oauth.password_grant(registered.app, "town", "wrong horse", "", "10.0.0." +
                                                                                     std::to_string(i)))
              .error() == OAuthError::invalid_grant);
  }
  CHECK(test::run(oauth.password_grant(registered.app, "town", "correct horse", "", "10.0.0.9"))
            .error() == server::services::LoginError::throttled);
  now += 5 * 60 * 1000;  // the window passes
  CHECK(test::run(oauth.password_grant(registered.app, "town", "correct horse", "", "10.0.0.9")));
}

TEST_CASE("failed logins are throttled per client address across accounts") {
  storage::Millis now = 1000;
  server::services::LoginThrottle throttle({3, 5, 60'000, 100}, [&] { return now; });
  for (int i = 0; i < 5; ++i) throttle.record_failure("user" + std::to_string(i), "10.1.1.1");
  CHECK_FALSE(throttle.allowed("someone-else", "10.1.1.1"));
  CHECK(throttle.allowed("someone-else", "10.1.1.2"));
  now += 60'000;
  CHECK(throttle.allowed("someone-else", "10.1.1.1"));
}

TEST_CASE("the throttle's tables stay bounded") {
  storage::Millis now = 1000;
  server::services::LoginThrottle throttle({3, 5, 60'000, 10}, [&] { return now; });
  for (int i = 0; i < 1000; ++i) {
    throttle.record_failure("user" + std::to_string(i), "addr" + std::to_string(i));
  }
  // The newest entries are still counted.
  for (int i = 0; i < 2; ++i) throttle.record_failure("user999", "addr999");
  CHECK_FALSE(throttle.allowed("user999", "elsewhere"));
}

TEST_CASE_METHOD(OAuthFixture, "authorization codes: PKCE checked, single use, short-lived") {
  auto registered = app("read write", "https://app.example/callback");
  const auto id = town.id;
  auto code = test::run(oauth.issue_code(registered.app, id, std::nullopt, "https://app.example/callback",
                                         "read", std::string(kChallenge), "S256"));
  REQUIRE(code);
  // A wrong verifier fails, and the code is spent.
  CHECK(test::run(oauth.code_grant(registered.app, *code, "https://app.example/callback",
                                   "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXl"))
            .error() == OAuthError::invalid_grant);
  CHECK(test::run(oauth.code_grant(registered.app, *code, "https://app.example/callback",
                                   std::string(kVerifier)))
            .error() == OAuthError::invalid_grant);

  auto fresh = test::run(oauth.issue_code(registered.app, id, std::nullopt, "https://app.example/callback",
                                          "read", std::string(kChallenge), "S256"));
  REQUIRE(fresh);
  // Another redirect URI than the code's.
  auto other = test::run(oauth.issue_code(registered.app, id, std::nullopt, "https://app.example/callback",
                                          "read", std::string(kChallenge), "S256"));
  REQUIRE(other);
  CHECK(test::run(oauth.code_grant(registered.app, *other, "https://evil.example/callback",
                                   std::string(kVerifier)))
            .error() == OAuthError::invalid_grant);
  auto token = test::run(oauth.code_grant(registered.app, *fresh, "https://app.example/callback",
                                          std::string(kVerifier)));
  REQUIRE(token);
  CHECK(token->record.scopes == "read");
  CHECK(test::run(oauth.code_grant(registered.app, *fresh, "https://app.example/callback",
                                   std::string(kVerifier)))
            .error() == OAuthError::invalid_grant);  // used

  auto late = test::run(oauth.issue_code(registered.app, id, std::nullopt, "https://app.example/callback",
                                         "read", "", ""));
  REQUIRE(late);
  now += 11 * 60 * 1000;
  CHECK(test::run(oauth.code_grant(registered.app, *late, "https://app.example/callback", ""))
            .error() == OAuthError::invalid_grant);

  CHECK(test::run(oauth.issue_code(registered.app, id, std::nullopt, "https://elsewhere.example/", "read", "", ""))
            .error() == OAuthError::invalid_redirect_uri);
  CHECK(test::run(oauth.issue_code(registered.app, id, std::nullopt, "https://app.example/callback", "read",
                                   std::string(kChallenge), "plain"))
            .error() == OAuthError::invalid_request);
}

TEST_CASE_METHOD(OAuthFixture, "revoked and expired tokens no longer authenticate") {
  auto registered = app();
  auto token = test::run(oauth.client_credentials_grant(registered.app, "read"));
  REQUIRE(token);
  auto grant = oauth.authenticate_token(token->access_token);
  REQUIRE(grant);
  CHECK_FALSE(grant->account);  // app-only
  // Another app cannot revoke it.
  auto other = app();
  auto not_theirs = test::run(oauth.revoke(other.app, token->access_token));
  REQUIRE(not_theirs);
  CHECK_FALSE(*not_theirs);  // nothing revoked: no stream to close
  CHECK(oauth.authenticate_token(token->access_token));
  auto revoked = test::run(oauth.revoke(registered.app, token->access_token));
  REQUIRE(revoked);
  CHECK(*revoked == grant->token.id);  // its streams are closed by this id
  CHECK(oauth.authenticate_token(token->access_token).error() == OAuthError::token_revoked);
  auto again = test::run(oauth.revoke(registered.app, token->access_token));
  REQUIRE(again);
  CHECK_FALSE(*again);

  server::services::OAuthService short_lived(*db, throttle, [this] { return now; },
                                             {10 * 60 * 1000, 60 * 1000});
  auto brief = test::run(short_lived.client_credentials_grant(registered.app, ""));
  REQUIRE(brief);
  CHECK(short_lived.authenticate_token(brief->access_token));
  now += 60 * 1000;
  CHECK(short_lived.authenticate_token(brief->access_token).error() == OAuthError::token_expired);
}

TEST_CASE_METHOD(OAuthFixture, "app registration checks its redirect URIs and scopes") {
  CHECK(test::run(oauth.register_app({"", "urn:ietf:wg:oauth:2.0:oob", "read", ""})).error() ==
        OAuthError::invalid_request);
  CHECK(test::run(oauth.register_app({"App", "not a uri", "read", ""})).error() ==
        OAuthError::invalid_redirect_uri);
  CHECK(test::run(oauth.register_app({"App", "https://a.example/#frag", "read", ""})).error() ==
        OAuthError::invalid_redirect_uri);
  CHECK(test::run(oauth.register_app({"App", "https://a.example/cb", "read sudo", ""})).error() ==
        OAuthError::invalid_scope);
  auto ok = test::run(oauth.register_app(
      {"App", "tusky://oauth\nurn:ietf:wg:oauth:2.0:oob", "read write", ""}));
  REQUIRE(ok);
  CHECK(server::services::OAuthService::redirect_uri_registered(ok->app, "tusky://oauth"));
  CHECK_FALSE(server::services::OAuthService::redirect_uri_registered(ok->app, "tusky://other"));
}
