#include "server/http/router.hpp"
#include "tests/unit/support/run.hpp"

#include <catch2/catch.hpp>

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using namespace civicpub::server::http;

namespace {

struct Outcome {
  Response res;
  std::unordered_map<std::string, std::string> params;
};

Outcome dispatch(const Router& router, bhttp::verb verb, std::string target,
                 std::string content_type = {}) {
  Request req{verb, target, 11};
  if (!content_type.empty()) req.set(bhttp::field::content_type, content_type);
  auto qmark = target.find('?');
  RequestContext ctx{req,
                     "127.0.0.1",
                     "http",
                     "example.test",
                     target.substr(0, qmark),
                     qmark == std::string::npos ? "" : target.substr(qmark + 1),
                     {}};
  auto res = civicpub::test::run([&] { return router.dispatch(ctx); });
  return {std::move(res), ctx.params};
}

Handler text(std::string body) {
  return [body](RequestContext&) -> asio::awaitable<Response> {
    Response res{bhttp::status::ok, 11};
    res.body() = body;
    co_return res;
  };
}

}  // namespace

TEST_CASE("router fills path parameters, percent-decoded, and ignores the query") {
  Router router;
  router.add(bhttp::verb::get, "/users/{name}/statuses/{id}", text("status"));
  auto out = dispatch(router, bhttp::verb::get, "/users/al%20ice/statuses/42?page=2");
  CHECK(out.res.result() == bhttp::status::ok);
  CHECK(out.res.body() == "status");
  CHECK(out.params.at("name") == "al ice");
  CHECK(out.params.at("id") == "42");
}

TEST_CASE("router answers 404 when no pattern matches the path") {
  Router router;
  router.add(bhttp::verb::get, "/users/{name}", text("actor"));
  for (const char* target : {"/users", "/users/", "/users/alice/", "/users/alice/x", "/", "/nope",
                             "/users/bad%zzescape"}) {
    INFO(target);
    auto out = dispatch(router, bhttp::verb::get, target);
    CHECK(out.res.result() == bhttp::status::not_found);
    CHECK(out.res.body() == R"({"error":"not found"})");
  }
}

TEST_CASE("router answers 405 with Allow when only the method is wrong") {
  Router router;
  router.add(bhttp::verb::get, "/users/{name}/inbox", text("get"));
  router.add(bhttp::verb::post, "/users/{name}/inbox", text("post"));
  auto out = dispatch(router, bhttp::verb::delete_, "/users/alice/inbox");
  CHECK(out.res.result() == bhttp::status::method_not_allowed);
  CHECK(out.res[bhttp::field::allow] == "GET, HEAD, POST");
}

TEST_CASE("router serves HEAD with the GET handler, without a body") {
  Router router;
  router.add(bhttp::verb::get, "/about", text("hello"));
  auto out = dispatch(router, bhttp::verb::head, "/about");
  CHECK(out.res.result() == bhttp::status::ok);
  CHECK(out.res.body().empty());
  CHECK(out.res[bhttp::field::content_length] == "5");
  // HEAD does not reach a POST-only route.
  router.add(bhttp::verb::post, "/inbox", text("inbox"));
  CHECK(dispatch(router, bhttp::verb::head, "/inbox").res.result() ==
        bhttp::status::method_not_allowed);
}

TEST_CASE("router prefers the route with more literal segments") {
  Router router;
  router.add(bhttp::verb::get, "/users/{name}", text("actor"));
  router.add(bhttp::verb::get, "/users/featured", text("featured"));
  CHECK(dispatch(router, bhttp::verb::get, "/users/featured").res.body() == "featured");
  CHECK(dispatch(router, bhttp::verb::get, "/users/bob").res.body() == "actor");
}

TEST_CASE("router enforces accepted content types with 415") {
  Router router;
  router.add(bhttp::verb::post, "/inbox", text("accepted"),
             {.accepted_content_types = {"application/activity+json", "application/ld+json"}});
  CHECK(dispatch(router, bhttp::verb::post, "/inbox", "application/activity+json").res.result() ==
        bhttp::status::ok);
  CHECK(dispatch(router, bhttp::verb::post, "/inbox",
                 R"(Application/LD+JSON; profile="https://www.w3.org/ns/activitystreams")")
            .res.result() == bhttp::status::ok);
  for (const char* ct :
       {"", "text/plain", "application/json", "application/activity+jsonx", "garbage"}) {
    INFO(ct);
    auto out = dispatch(router, bhttp::verb::post, "/inbox", ct);
    CHECK(out.res.result() == bhttp::status::unsupported_media_type);
    CHECK(out.res[bhttp::field::content_type] == "application/json");
  }
}

TEST_CASE("router rejects malformed patterns at start-up") {
  Router router;
  CHECK_THROWS_AS(router.add(bhttp::verb::get, "users", text("x")), std::invalid_argument);
  CHECK_THROWS_AS(router.add(bhttp::verb::get, "/users/{name", text("x")), std::invalid_argument);
}

TEST_CASE("router matches a parameter behind a literal prefix in its segment") {
  Router router;
  router.add(bhttp::verb::get, "/@{name}", text("profile"));
  router.add(bhttp::verb::get, "/@{name}/{id}", text("post"));
  router.add(bhttp::verb::get, "/{page}", text("page"));
  auto out = dispatch(router, bhttp::verb::get, "/@al%20ice");
  CHECK(out.res.body() == "profile");  // the prefixed segment beats a bare parameter
  CHECK(out.params.at("name") == "al ice");
  out = dispatch(router, bhttp::verb::get, "/@alice/42");
  CHECK(out.res.body() == "post");
  CHECK(out.params.at("id") == "42");
  CHECK(dispatch(router, bhttp::verb::get, "/alice").res.body() == "page");
  // The prefix alone leaves the parameter empty: no match.
  CHECK(dispatch(router, bhttp::verb::get, "/@").res.body() == "page");
  CHECK(dispatch(router, bhttp::verb::get, "/@/42").res.result() == bhttp::status::not_found);
  CHECK_THROWS_AS(router.add(bhttp::verb::get, "/@{a}{b}", text("x")), std::invalid_argument);
  CHECK_THROWS_AS(router.add(bhttp::verb::get, "/@{a}x", text("x")), std::invalid_argument);
}
