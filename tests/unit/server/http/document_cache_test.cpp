#include "server/http/document_cache.hpp"
#include "server/http/router.hpp"
#include "tests/unit/support/run.hpp"

#include <boost/beast/http/parser.hpp>

#include <catch2/catch.hpp>

#include <atomic>

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using namespace civicpub::server::http;

namespace {

struct World {
  std::int64_t version = 1;
  bool version_known = true;
  int renders = 0;
  std::string content_type = "application/activity+json";
  bhttp::status status = bhttp::status::ok;
  bool set_cookie = false;
  DocumentCache cache{[this]() -> std::optional<std::int64_t> {
                        if (!version_known) return std::nullopt;
                        return version;
                      },
                      DocumentCacheLimits{3, 4096}};
  Router router;

  World() {
    router.add(bhttp::verb::get, "/users/{name}",
               [this](RequestContext& ctx) -> asio::awaitable<Response> {
                 ++renders;
                 Response res{status, 11};
                 res.set(bhttp::field::content_type, content_type);
                 if (set_cookie) res.set(bhttp::field::set_cookie, "session=1");
                 res.body() = std::string(ctx.param("name")) + " at " + std::to_string(version);
                 co_return res;
               },
               {.accepted_content_types = {}, .cache_documents = true});
    router.add(bhttp::verb::get, "/plain/{name}",
               [this](RequestContext&) -> asio::awaitable<Response> {
                 ++renders;
                 Response res{bhttp::status::ok, 11};
                 res.set(bhttp::field::content_type, "application/json");
                 co_return res;
               });
    router.use_document_cache(&cache);
  }
};

// What the session does: the cache first, then the router.
struct Served {
  Response res;
  bool from_cache = false;
};

Served serve(World& world, Request req, std::string host = "town.example") {
  const std::string target(req.target());
  RequestContext ctx{req, "127.0.0.1", "https", std::move(host), target, "", {}};
  if (auto hit = world.router.cached(ctx)) return {hit->response, true};
  auto res = civicpub::test::run([&] { return world.router.dispatch(ctx); });
  return {std::move(res), false};
}

Request get(std::string target, std::string accept = "application/activity+json") {
  Request req{bhttp::verb::get, target, 11};
  req.set(bhttp::field::accept, accept);
  return req;
}

}  // namespace

TEST_CASE("document cache: a JSON answer is served again until the database version changes") {
  World world;
  auto first = serve(world, get("/users/anna"));
  CHECK_FALSE(first.from_cache);
  CHECK(first.res.body() == "anna at 1");
  auto again = serve(world, get("/users/anna"));
  CHECK(again.from_cache);
  CHECK(again.res.body() == "anna at 1");
  CHECK(again.res[bhttp::field::content_type] == "application/activity+json");
  CHECK(world.renders == 1);

  world.version = 2;  // a commit
  auto after = serve(world, get("/users/anna"));
  CHECK_FALSE(after.from_cache);
  CHECK(after.res.body() == "anna at 2");
  CHECK(serve(world, get("/users/anna")).from_cache);
  CHECK(world.renders == 2);
}

TEST_CASE("document cache: the key is the target, the Accept header, the host and the scheme") {
  World world;
  serve(world, get("/users/anna"));
  CHECK(serve(world, get("/users/anna")).from_cache);
  CHECK_FALSE(serve(world, get("/users/bert")).from_cache);
  CHECK_FALSE(serve(world, get("/users/anna", "application/ld+json")).from_cache);
  CHECK_FALSE(serve(world, get("/users/anna"), "other.example").from_cache);
  CHECK_FALSE(serve(world, get("/users/anna?x=1")).from_cache);
}

TEST_CASE("document cache: signed, authorized and logged-in readers are never served from it") {
  World world;
  serve(world, get("/users/anna"));
  for (const char* header : {"Signature", "Authorization", "Cookie"}) {
    auto req = get("/users/anna");
    req.set(header, "x");
    auto out = serve(world, req);
    CHECK_FALSE(out.from_cache);
  }
  auto head = get("/users/anna");
  head.method(bhttp::verb::head);
  CHECK_FALSE(serve(world, head).from_cache);
  CHECK(world.renders == 5);
}

TEST_CASE("document cache: an HTML page is stored under its own Accept, apart from the JSON") {
  World world;
  serve(world, get("/users/anna"));
  world.content_type = "text/html; charset=utf-8";
  auto page = serve(world, get("/users/anna", "text/html"));
  CHECK_FALSE(page.from_cache);
  auto again = serve(world, get("/users/anna", "text/html"));
  CHECK(again.from_cache);
  CHECK(again.res[bhttp::field::content_type] == "text/html; charset=utf-8");
  world.content_type = "application/activity+json";
  auto json = serve(world, get("/users/anna"));
  CHECK(json.from_cache);
  CHECK(json.res[bhttp::field::content_type] == "application/activity+json");
  CHECK(world.renders == 2);
}

TEST_CASE("document cache: only 200 JSON or HTML answers of routes that ask for it are stored") {
  World world;
  world.content_type = "text/plain";
  serve(world, get("/users/anna", "text/plain"));
  CHECK_FALSE(serve(world, get("/users/anna", "text/plain")).from_cache);
  world.content_type = "text/html";
  world.set_cookie = true;  // an answer for one reader
  serve(world, get("/users/anna", "text/html"));
  CHECK_FALSE(serve(world, get("/users/anna", "text/html")).from_cache);
  world.set_cookie = false;
  world.content_type = "application/activity+json";
  world.status = bhttp::status::not_found;
  serve(world, get("/users/nobody"));
  CHECK_FALSE(serve(world, get("/users/nobody")).from_cache);
  world.status = bhttp::status::ok;
  serve(world, get("/plain/x"));
  CHECK_FALSE(serve(world, get("/plain/x")).from_cache);
  CHECK(world.cache.size() == 0);
}

TEST_CASE("document cache: bounded in entries and bytes, and off while the version is unknown") {
  World world;
  for (const char* name : {"a", "b", "c", "d"}) serve(world, get(std::string("/users/") + name));
  CHECK(world.cache.size() == 3);  // max_entries
  CHECK_FALSE(serve(world, get("/users/d")).from_cache);

  world.version = 2;
  serve(world, get("/users/" + std::string(5000, 'x')));  // over max_bytes on its own
  CHECK(world.cache.size() == 0);

  serve(world, get("/users/a"));
  world.version_known = false;
  CHECK_FALSE(serve(world, get("/users/a")).from_cache);
  serve(world, get("/users/e"));
  world.version_known = true;
  CHECK_FALSE(serve(world, get("/users/e")).from_cache);
  CHECK(serve(world, get("/users/a")).from_cache);
}

TEST_CASE("document cache: an answer stamped with an older version is not stored") {
  World world;
  world.version = 5;
  serve(world, get("/users/a"));
  Response late{bhttp::status::ok, 11};
  late.set(bhttp::field::content_type, "application/json");
  late.body() = "rendered before the commit";
  world.cache.store("some key", 4, late);
  CHECK(world.cache.size() == 1);
  CHECK(serve(world, get("/users/a")).from_cache);
}

TEST_CASE("document cache: the stored bytes are the answer as sent to an HTTP/1.1 keep-alive GET") {
  World world;
  serve(world, get("/users/anna"));
  Request req = get("/users/anna");
  RequestContext ctx{req, "127.0.0.1", "https", "town.example", "/users/anna", "", {}};
  const auto hit = world.router.cached(ctx);
  REQUIRE(hit);
  bhttp::response_parser<bhttp::string_body> parser;
  boost::system::error_code ec;
  std::size_t used = 0;  // the header, then the body
  while (!ec && !parser.is_done() && used < hit->wire.size()) {
    used += parser.put(boost::asio::buffer(hit->wire.data() + used, hit->wire.size() - used), ec);
  }
  REQUIRE_FALSE(ec);
  REQUIRE(parser.is_done());
  CHECK(used == hit->wire.size());  // one whole message, nothing after it
  const auto& sent = parser.get();
  CHECK(sent.result() == bhttp::status::ok);
  CHECK(sent.version() == 11);
  CHECK(sent.keep_alive());
  CHECK(sent[bhttp::field::content_type] == "application/activity+json");
  CHECK(sent[bhttp::field::content_length] == std::to_string(hit->response.body().size()));
  CHECK(sent.body() == "anna at 1");
  CHECK(sent.body() == hit->response.body());
}
