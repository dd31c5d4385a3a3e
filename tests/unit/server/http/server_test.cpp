#include "tests/unit/server/http/test_server.hpp"

#include "server/http/document_cache.hpp"
#include "server/http/response.hpp"

using namespace civicpub::server::http;
using namespace civicpub::server::http::testing;

namespace {

Router hello_router() {
  Router router;
  router.add(bhttp::verb::get, "/hello/{name}",
             [](RequestContext& ctx) -> asio::awaitable<Response> {
               co_return json_response(bhttp::status::ok, "{\"hello\":\"" +
                                                              std::string(ctx.param("name")) +
                                                              "\",\"scheme\":\"" + ctx.scheme +
                                                              "\",\"host\":\"" + ctx.host + "\"}");
             });
  router.add(bhttp::verb::post, "/echo", [](RequestContext& ctx) -> asio::awaitable<Response> {
    co_return json_response(bhttp::status::ok, std::string(ctx.body()));
  });
  router.add(bhttp::verb::get, "/boom", [](RequestContext&) -> asio::awaitable<Response> {
    throw std::runtime_error("secret detail");
    co_return Response{};
  });
  return router;
}

}  // namespace

TEST_CASE("server answers a GET and logs it") {
  TestServer server(hello_router());
  TestClient client(server.port());
  auto res = client.get("/hello/alice?x=1");
  CHECK(res.result() == bhttp::status::ok);
  CHECK(res[bhttp::field::content_type] == "application/json");
  CHECK(res.body() == R"({"hello":"alice","scheme":"http","host":"town.test"})");
  CHECK(client.get("/nowhere").result() == bhttp::status::not_found);
  auto log = server.stop();
  CHECK(log.find("127.0.0.1 GET /hello/alice?x=1 200 ") != std::string::npos);
}

TEST_CASE("server keeps a connection alive for a second request and passes the body through") {
  TestServer server(hello_router());
  TestClient client(server.port());
  CHECK(client.get("/hello/one").result() == bhttp::status::ok);
  client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 7\r\n\r\n{\"a\":1}");
  auto res = client.read();
  CHECK(res.result() == bhttp::status::ok);
  CHECK(res.body() == R"({"a":1})");
  CHECK(res.keep_alive());
}

TEST_CASE("server answers 413 for a body over the limit, then closes") {
  auto settings = short_timeouts();
  settings.body_limit = 1024;
  TestServer server(hello_router(), settings);
  TestClient client(server.port());
  client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 2000\r\n\r\n" +
              std::string(2000, 'x'));
  auto res = client.read();
  CHECK(res.result() == bhttp::status::payload_too_large);
  CHECK(res.body() == R"({"error":"request body too large"})");
  CHECK_FALSE(res.keep_alive());
  client.wait_closed();

  // A body at the limit is fine.
  TestClient ok(server.port());
  ok.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 1024\r\n\r\n" +
          std::string(1024, 'y'));
  CHECK(ok.read().result() == bhttp::status::ok);
}

TEST_CASE("server answers 431 for headers over the limit and 400 for garbage") {
  auto settings = short_timeouts();
  settings.header_limit = 1024;
  TestServer server(hello_router(), settings);
  TestClient big(server.port());
  big.send("GET /hello/a HTTP/1.1\r\nHost: t\r\nX-Big: " + std::string(2000, 'b') + "\r\n\r\n");
  CHECK(big.read().result() == bhttp::status::request_header_fields_too_large);
  TestClient bad(server.port());
  bad.send("NOT HTTP AT ALL\r\n\r\n");
  CHECK(bad.read().result() == bhttp::status::bad_request);
}

TEST_CASE("a handler exception becomes a 500 whose detail only reaches the log") {
  TestServer server(hello_router());
  TestClient client(server.port());
  auto res = client.get("/boom");
  CHECK(res.result() == bhttp::status::internal_server_error);
  CHECK(res.body() == R"({"error":"internal error"})");
  CHECK(client.get("/hello/after").result() == bhttp::status::ok);  // connection survives
  CHECK(server.stop().find("secret detail") != std::string::npos);
}

TEST_CASE("a client stalling mid-request is cut off after read_timeout while others are served") {
  TestServer server(hello_router());
  TestClient stalled(server.port());
  stalled.send("GET /hello/slow HTTP/1.1\r\nHost: t\r\n");  // and never the blank line
  const auto start = std::chrono::steady_clock::now();

  TestClient other(server.port());
  CHECK(other.get("/hello/other").result() == bhttp::status::ok);

  CHECK(stalled.wait_closed(5000ms).empty());  // dropped without an answer
  const auto waited = std::chrono::steady_clock::now() - start;
  CHECK(waited >= 900ms);
  CHECK(waited < 4s);
}

TEST_CASE("connections over max_connections are closed at once") {
  auto settings = short_timeouts();
  settings.max_connections = 1;
  TestServer server(hello_router(), settings);
  TestClient first(server.port());
  CHECK(first.get("/hello/first").result() == bhttp::status::ok);  // registered, kept alive
  TestClient second(server.port());
  CHECK(second.wait_closed(2000ms).empty());
  CHECK(first.get("/hello/again").result() == bhttp::status::ok);
}

TEST_CASE("requests pipelined in one write are answered in order, bodies included") {
  TestServer server(hello_router());
  TestClient client(server.port());
  // The session parses what one read brought before it reads again (session.cpp,
  // parse_buffered): all three must come out of the same buffer, none lost or run together.
  client.send(
      "GET /hello/one HTTP/1.1\r\nHost: town.test\r\n\r\n"
      "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 7\r\n\r\n{\"b\":2}"
      "GET /hello/three HTTP/1.1\r\nHost: town.test\r\n\r\n");
  auto one = client.read();
  CHECK(one.body() == R"({"hello":"one","scheme":"http","host":"town.test"})");
  auto two = client.read();
  CHECK(two.body() == R"({"b":2})");
  auto three = client.read();
  CHECK(three.body() == R"({"hello":"three","scheme":"http","host":"town.test"})");
  CHECK(three.keep_alive());

  // A request whose body comes in a later write is read whole.
  client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 7\r\n\r\n{\"c");
  client.send("\":3}");
  CHECK(client.read().body() == R"({"c":3})");
}

TEST_CASE("a cached answer larger than the socket takes at once is sent whole, then the next") {
  // 16 MiB: more than loopback's send and receive buffers together hold, so the first,
  // non-blocking write of the cached bytes takes only part and the rest goes asynchronously
  // (session.cpp, write_bytes).
  const std::string big = "\"" + std::string(16 * 1024 * 1024, 'x') + "\"";
  int renders = 0;
  DocumentCache cache([] { return std::optional<std::int64_t>(1); },
                      DocumentCacheLimits{16, 64 * 1024 * 1024});
  Router router = hello_router();
  router.add(bhttp::verb::get, "/big",
             [&](RequestContext&) -> asio::awaitable<Response> {
               ++renders;
               co_return json_response(bhttp::status::ok, big);
             },
             {.accepted_content_types = {}, .cache_documents = true});
  router.use_document_cache(&cache);
  TestServer server(std::move(router));
  TestClient client(server.port());
  CHECK(client.get("/big").body() == big);  // built and stored
  REQUIRE(cache.size() == 1);
  auto again = client.get("/big");  // from the cache's bytes
  CHECK(renders == 1);
  CHECK(again.result() == bhttp::status::ok);
  CHECK(again.body().size() == big.size());
  CHECK(again.body() == big);
  CHECK(client.get("/hello/after").result() == bhttp::status::ok);  // the connection goes on
}
