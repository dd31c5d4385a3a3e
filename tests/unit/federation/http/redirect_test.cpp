#include "federation/http/http_client.hpp"

#include "tests/unit/federation/http/http_client_support.hpp"
#include "tests/unit/support/http_test_server.hpp"

#include <catch2/catch.hpp>

using civicpub::federation::http::HttpError;
using civicpub::federation::http::OutboundRequest;
using namespace civicpub::testing;
namespace bhttp = boost::beast::http;

namespace {

// /start -> 302 /middle (relative) -> 200; /loop -> /loop; /away -> 308 to an absolute URL.
TestServer::Handler router(std::string* away_location = nullptr) {
  return [away_location](const TestRequest& request) {
    auto target = std::string(request.target());
    if (target == "/start") return redirect_response(302, "/middle?x=1");
    if (target == "/loop") return redirect_response(301, "/loop");
    if (target == "/see-other") return redirect_response(303, "/result");
    if (target == "/temporary") return redirect_response(307, "/result");
    if (target == "/nowhere") return text_response(302, "no location");
    if (target == "/away" && away_location) return redirect_response(308, *away_location);
    auto response = text_response(
        200, std::string(request.method_string()) + " " + target + " " + request.body());
    response.set("X-Seen-Signature", request["Signature"]);
    return response;
  };
}

}  // namespace

TEST_CASE("HttpClient follows a relative redirect and reports the final URL") {
  TestServer server(ServerMode::http, router());
  ClientHarness harness(loopback_settings());
  auto response = harness.get(server.url("/start"));
  REQUIRE(response.has_value());
  CHECK(response->status == 200);
  CHECK(response->body == "GET /middle?x=1 ");
  CHECK(response->final_url == server.url("/middle?x=1"));
}

TEST_CASE("HttpClient gives up on a redirect loop after max_redirects hops") {
  TestServer server(ServerMode::http, router());
  auto settings = loopback_settings();
  settings.max_redirects = 3;
  ClientHarness harness(settings);
  auto response = harness.get(server.url("/loop"));
  REQUIRE(response.has_error());
  CHECK(response.error() == HttpError::too_many_redirects);
  CHECK(server.requests() == 4);  // the first request and three followed hops
}

TEST_CASE("HttpClient with max_redirects 0 follows nothing") {
  TestServer server(ServerMode::http, router());
  auto settings = loopback_settings();
  settings.max_redirects = 0;
  ClientHarness harness(settings);
  auto response = harness.get(server.url("/start"));
  REQUIRE(response.has_error());
  CHECK(response.error() == HttpError::too_many_redirects);
}

TEST_CASE("HttpClient refuses a redirect without Location") {
  TestServer server(ServerMode::http, router());
  ClientHarness harness(loopback_settings());
  auto response = harness.get(server.url("/nowhere"));
  REQUIRE(response.has_error());
  CHECK(response.error() == HttpError::bad_redirect);
}

TEST_CASE("HttpClient checks the address of every redirect hop") {
  // 127.0.0.2 is loopback too but outside the allow-listed 127.0.0.1/32: the first hop passes,
  // the redirected one must be refused before any connection is made.
  std::string away = "http://127.0.0.2:1/secret";
  TestServer server(ServerMode::http, router(&away));
  auto settings = loopback_settings();
  settings.allow_private = {civicpub::federation::http::parse_cidr("127.0.0.1/32").value()};
  ClientHarness harness(settings);
  auto response = harness.get(server.url("/away"));
  REQUIRE(response.has_error());
  CHECK(response.error() == HttpError::blocked_address);

  away = "http://169.254.169.254/latest/meta-data/";  // the cloud metadata classic
  auto metadata = harness.get(server.url("/away"));
  REQUIRE(metadata.has_error());
  CHECK(metadata.error() == HttpError::blocked_address);
}

TEST_CASE("HttpClient refuses a redirect to another scheme") {
  std::string away = "file:///etc/passwd";
  TestServer server(ServerMode::http, router(&away));
  ClientHarness harness(loopback_settings());
  auto response = harness.get(server.url("/away"));
  REQUIRE(response.has_error());
  CHECK(response.error() == HttpError::unsupported_scheme);
}

TEST_CASE("HttpClient turns a POST into a GET on 303 and keeps it on 307") {
  TestServer server(ServerMode::http, router());
  ClientHarness harness(loopback_settings());
  OutboundRequest post;
  post.method = bhttp::verb::post;
  post.headers = {{"Content-Type", "application/activity+json"}};
  post.body = "{}";

  post.url = server.url("/see-other");
  auto see_other = harness.send(post);
  REQUIRE(see_other.has_value());
  CHECK(see_other->body == "GET /result ");

  post.url = server.url("/temporary");
  auto temporary = harness.send(post);
  REQUIRE(temporary.has_value());
  CHECK(temporary->body == "POST /result {}");
}

TEST_CASE("HttpClient calls the sign hook before every hop with that hop's URL") {
  TestServer server(ServerMode::http, router());
  ClientHarness harness(loopback_settings());
  std::vector<std::string> signed_urls;
  OutboundRequest request;
  request.url = server.url("/start");
  request.sign = [&](OutboundRequest& r, const boost::urls::url_view& url) {
    signed_urls.emplace_back(url.buffer());
    // The Host header for the hop is already in place when the hook runs.
    r.set_header("Signature", "host=" + std::string(r.header("host").value_or("")) +
                                  ";path=" + std::string(url.encoded_path()));
  };
  auto response = harness.send(request);
  REQUIRE(response.has_value());
  REQUIRE(signed_urls.size() == 2);
  CHECK(signed_urls[0] == server.url("/start"));
  CHECK(signed_urls[1] == server.url("/middle?x=1"));
  CHECK(response->header("x-seen-signature") ==
        "host=127.0.0.1:" + std::to_string(server.port()) + ";path=/middle");
}
