// The test world's one fake Transport: canned answers by URL, scripted answers for the rest, 404
// otherwise; Host and the sign hook applied as the real client does; held sends released on
// demand.
#include "tests/unit/support/fake_transport.hpp"

#include "tests/unit/support/catch_result.hpp"
#include "tests/unit/support/run.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

using namespace civicpub;
using federation::http::HttpError;
using federation::http::OutboundRequest;
using federation::http::OutboundResponse;
using test::FakeTransport;

namespace {

OutboundRequest get(std::string url) {
  OutboundRequest request;
  request.url = std::move(url);
  return request;
}

}  // namespace

TEST_CASE("fake transport: canned answers by exact URL, failures, else 404") {
  FakeTransport t;
  t.answer("https://remote.example/users/anna", 200, "{}", {{"content-type", "text/plain"}});
  t.fail("https://down.example/x", HttpError::timeout);
  auto ok = test::run(t.send(get("https://remote.example/users/anna")));
  REQUIRE(ok);
  CHECK(ok->status == 200);
  CHECK(ok->body == "{}");
  CHECK(ok->header("Content-Type") == std::optional<std::string_view>("text/plain"));
  CHECK(ok->final_url == "https://remote.example/users/anna");
  CHECK(test::run(t.send(get("https://down.example/x"))).error() == HttpError::timeout);
  auto missing = test::run(t.send(get("https://remote.example/users/anna?page=1")));
  REQUIRE(missing);
  CHECK(missing->status == 404);
  CHECK(t.fetches("https://remote.example/users/anna") == 1);
  CHECK(t.requests.size() == 3);
}

TEST_CASE("fake transport: `respond` answers what has no canned answer") {
  FakeTransport t;
  t.answer("https://a.example/inbox", 410);
  t.respond = [](const OutboundRequest& r) -> Result<OutboundResponse> {
    OutboundResponse response;
    response.status = r.url.find("b.example") != std::string::npos ? 202 : 500;
    return response;
  };
  CHECK(test::run(t.send(get("https://a.example/inbox")))->status == 410);
  CHECK(test::run(t.send(get("https://b.example/inbox")))->status == 202);
  CHECK(test::run(t.send(get("https://c.example/inbox")))->status == 500);
}

TEST_CASE("fake transport: sets Host, then runs the sign hook, and records the result") {
  FakeTransport t;
  auto request = get("https://Remote.Example:443/users/anna?x=1");
  std::string host_seen;
  request.sign = [&](OutboundRequest& r, const boost::urls::url_view& hop) {
    host_seen = std::string(r.header("Host").value_or(""));
    r.set_header("Signature", "signed for " + std::string(hop.encoded_path()));
  };
  REQUIRE(test::run(t.send(request)));
  CHECK(host_seen == "remote.example");
  REQUIRE(t.requests.size() == 1);
  CHECK(t.requests[0].header("Host") == std::optional<std::string_view>("remote.example"));
  CHECK(t.requests[0].header("Signature") ==
        std::optional<std::string_view>("signed for /users/anna"));
}

TEST_CASE("fake transport: held sends wait for release and are counted while in flight") {
  FakeTransport t;
  t.hold = true;
  boost::asio::io_context ioc;
  int answered = 0;
  for (const char* url : {"https://a.example/1", "https://a.example/2", "https://b.example/1"}) {
    boost::asio::co_spawn(ioc, t.send(get(url)),
                          [&](std::exception_ptr e, Result<OutboundResponse> r) {
                            REQUIRE_FALSE(e);
                            CHECK(r->status == 404);
                            ++answered;
                          });
  }
  REQUIRE(test::run_until(ioc, [&] { return t.active == 3; }));
  CHECK(answered == 0);
  CHECK(t.max_active_per_host["a.example"] == 2);
  CHECK(t.max_active_per_host["b.example"] == 1);
  t.release();
  REQUIRE(test::run_until(ioc, [&] { return answered == 3; }));
  CHECK(t.active == 0);
  CHECK(t.max_active == 3);
}
