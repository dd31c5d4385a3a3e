// The Mastodon client API's routes over a services fixture (no sockets): an app registered and
// logged in with the password grant, requests sent through the router.
#pragma once

#include "server/routes/api_account_routes.hpp"
#include "server/routes/api_follow_routes.hpp"
#include "server/routes/api_notification_routes.hpp"
#include "server/routes/api_reaction_routes.hpp"
#include "server/routes/api_search_routes.hpp"
#include "server/routes/api_instance_routes.hpp"
#include "server/routes/api_request.hpp"
#include "server/routes/api_status_routes.hpp"
#include "server/routes/oauth_routes.hpp"
#include "server/services/logins.hpp"
#include "tests/unit/server/services/services_fixture.hpp"
#include "tests/unit/support/fake_post_fetcher.hpp"

#include <rapidjson/document.h>
#include <catch2/catch.hpp>

#include <memory>
#include <string>

namespace civicpub::testing {

namespace bhttp = boost::beast::http;
using namespace civicpub::server;

class ApiWorld : public ServicesFixture {
 public:
  ApiWorld() {
    info_ = instance();
    info_.software_version = "0.1.0";
    REQUIRE(services::set_password(*db, "town", "correct horse", now));
    deps_ = std::make_unique<routes::ApiDeps>(routes::ApiDeps{
        *db, info_, oauth_, throttle_,
        [this] {
          return std::make_unique<services::PostService>(
              *db, lookup, fetcher_, services::PostSettings{"https://town.example", "town.example"},
              [this] { return now; });
        },
        [this] { ++wakes; }, nullptr});
    deps_->clock = [this] { return now; };
    deps_->lookup = &lookup;
    deps_->posts = &fetcher_;
    routes::register_oauth_routes(router_, *deps_);
    routes::register_api_instance_routes(router_, *deps_);
    routes::register_api_account_routes(router_, *deps_);
    routes::register_api_status_routes(router_, *deps_);
    routes::register_api_follow_routes(router_, *deps_);
    routes::register_api_notification_routes(router_, *deps_);
    routes::register_api_reaction_routes(router_, *deps_);
    routes::register_api_search_routes(router_, *deps_);
  }

  http::Response send(bhttp::verb verb, const std::string& target, const std::string& token = {},
                      const std::string& body = {},
                      const std::string& type = "application/x-www-form-urlencoded") {
    http::Request req{verb, target, 11};
    req.set(bhttp::field::host, "town.example");
    if (!token.empty()) req.set(bhttp::field::authorization, "Bearer " + token);
    for (const auto& [name, value] : extra_headers) req.set(name, value);
    if (!body.empty()) {
      req.set(bhttp::field::content_type, type);
      req.body() = body;
    }
    const auto qmark = target.find('?');
    http::RequestContext ctx{req,
                             "127.0.0.1",
                             "https",
                             "town.example",
                             target.substr(0, qmark),
                             qmark == std::string::npos ? "" : target.substr(qmark + 1),
                             {}};
    return test::run([&] { return router_.dispatch(ctx); });
  }

  // Registers an app with `scopes` and logs in with the password grant; returns the token.
  std::string login(const std::string& scopes, const std::string& username = "town") {
    auto app = send(bhttp::verb::post, "/api/v1/apps", {},
                    R"({"client_name":"t","redirect_uris":"urn:ietf:wg:oauth:2.0:oob","scopes":")" +
                        scopes + "\"}",
                    "application/json");
    REQUIRE(app.result_int() == 200);
    auto doc = json(app);
    const std::string body = "grant_type=password&username=" + username + "&password=correct+horse&client_id=" +
                             std::string(doc["client_id"].GetString()) + "&client_secret=" +
                             doc["client_secret"].GetString() + "&scope=" + scopes;
    auto token = send(bhttp::verb::post, "/oauth/token", {}, body);
    REQUIRE(token.result_int() == 200);
    auto t = json(token);
    CHECK(std::string(t["scope"].GetString()) == scopes);
    return t["access_token"].GetString();
  }

  // Another local person with the same password as town's.
  storage::ActorRecord add_local(const std::string& username) {
    server::services::NewAccount account{username, server::services::AccountType::person, username,
                                         "", now};
    auto made = server::services::create_local_account(*db, {"https://town.example", "town.example"},
                                                       account)
                    .value();
    REQUIRE(services::set_password(*db, username, "correct horse", now));
    return made;
  }

  static rapidjson::Document json(const http::Response& res) {
    rapidjson::Document doc;
    doc.Parse(res.body().c_str());
    REQUIRE_FALSE(doc.HasParseError());
    return doc;
  }

  int wakes = 0;
  std::vector<std::pair<std::string, std::string>> extra_headers;  // sent with every request

 private:
  federation::as2::InstanceInfo info_;
  services::LoginThrottle throttle_{{}, [this] { return now; }};
  services::OAuthService oauth_{*db, throttle_, [this] { return now; }};
  civicpub::testing::FakePostFetcher fetcher_{*db};
  std::unique_ptr<routes::ApiDeps> deps_;
  http::Router router_;
};

}  // namespace civicpub::testing
