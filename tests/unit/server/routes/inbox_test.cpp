// The inbox routes through the router: content types, unknown accounts, 202 and the wake-up.
#include "server/routes/inbox.hpp"

#include "server/http/router.hpp"
#include "storage/inbox_items.hpp"
#include "tests/unit/support/inbox_fixtures.hpp"

using namespace civicpub;
namespace bhttp = boost::beast::http;

namespace {

const std::string kAnna = "https://remote.example/users/anna";

server::http::Response dispatch(const server::http::Router& router,
                                const federation::InboundRequest& in,
                                std::optional<std::string> content_type = std::nullopt) {
  server::http::Request req{bhttp::verb::post, in.target, 11};
  for (const auto& [name, value] : in.headers.entries()) req.insert(name, value);
  // Only to test the router's check: the signed Content-Type is already among the headers.
  if (content_type) req.set(bhttp::field::content_type, *content_type);
  req.body() = in.body;
  req.prepare_payload();
  server::http::RequestContext ctx{req, "192.0.2.7", "https", "town.example", in.target, "", {}};
  return test::run([&] { return router.dispatch(ctx); });
}

std::int64_t queued(test::World& w) {
  return w.read([](storage::Connection& c) {
    return storage::inbox_items::count_by_state(c, storage::InboxState::pending);
  });
}

}  // namespace

TEST_CASE("inbox routes: 202 for a signed activity on either inbox, and the worker is woken") {
  test::World w;
  auto anna = w.remote(kAnna);
  const int& woken = w.worker_woken;
  server::http::Router router;
  server::routes::register_inbox_routes(router, *w.inbox);

  auto personal =
      w.cavage_post(anna, test::follow_json("https://remote.example/f/1", kAnna, w.local.uri));
  auto res = dispatch(router, personal);
  CHECK(res.result() == bhttp::status::accepted);
  CHECK(res.body() == "{}");
  CHECK(woken == 1);

  auto shared = w.cavage_post(
      anna, test::follow_json("https://remote.example/f/2", kAnna, w.local.uri), "/inbox",
      "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"");
  CHECK(dispatch(router, shared).result() == bhttp::status::accepted);
  CHECK(woken == 2);
  CHECK(queued(w) == 2);

  SECTION("a redelivery is 202 without waking the worker") {
    CHECK(dispatch(router, shared).result() == bhttp::status::accepted);
    CHECK(woken == 2);
  }
}

TEST_CASE("inbox routes: refusals map to their statuses") {
  test::World w;
  auto anna = w.remote(kAnna);
  server::http::Router router;
  server::routes::register_inbox_routes(router, *w.inbox);
  const auto body = test::follow_json("https://remote.example/f/1", kAnna, w.local.uri);

  SECTION("unknown local account: 404") {
    auto res = dispatch(router, w.cavage_post(anna, body, "/users/nobody/inbox"));
    CHECK(res.result() == bhttp::status::not_found);
  }
  SECTION("unsupported content type: 415") {
    auto res = dispatch(router, w.cavage_post(anna, body), "text/plain");
    CHECK(res.result() == bhttp::status::unsupported_media_type);
  }
  SECTION("no signature: 401 with the short reason") {
    federation::InboundRequest in;
    in.target = "/inbox";
    in.body = body;
    in.headers.add("Content-Type", "application/json");
    auto res = dispatch(router, in);
    CHECK(res.result() == bhttp::status::unauthorized);
    CHECK(res.body().find("error") != std::string::npos);
  }
  SECTION("tampered body: 401") {
    auto in = w.cavage_post(anna, body);
    in.body[in.body.size() - 3] = 'X';
    CHECK(dispatch(router, in).result() == bhttp::status::unauthorized);
  }
  CHECK(queued(w) == 0);
}
