// The WebFinger client (federation/remote/webfinger_client): handle spellings, the JRD's actor
// link, https first with a plain-http fallback for IP literals and localhost only, and how HTTP
// answers map to errors.
#include "federation/remote/webfinger_client.hpp"

#include "federation/federation_error.hpp"
#include "federation/http/error.hpp"
#include "federation/remote/domain_blocks.hpp"
#include "tests/unit/support/actors.hpp"
#include "tests/unit/support/fake_transport.hpp"
#include "tests/unit/support/run.hpp"

#include <catch2/catch.hpp>

using namespace civicpub;
using civicpub::test::run;
using federation::WebfingerError;
using federation::http::HttpError;

namespace {

const std::string kJrd = test::jrd_json("anna@127.0.0.1:8081", "http://127.0.0.1:8081/users/anna");

}  // namespace

TEST_CASE("webfinger: handles in their spellings") {
  auto h = federation::parse_account_handle("@Anna@Social.Example");
  REQUIRE(h);
  CHECK(h->username == "Anna");
  CHECK(h->domain == "social.example");
  CHECK(federation::parse_account_handle("anna@127.0.0.1:8081")->domain == "127.0.0.1:8081");
  CHECK(federation::parse_account_handle("acct:anna@x.example")->acct() == "anna@x.example");
  CHECK(federation::parse_account_handle("@[::1]:8080") == std::nullopt);
  CHECK(federation::parse_account_handle("anna@[::1]:8080")->domain == "[::1]:8080");
  CHECK_FALSE(federation::parse_account_handle("anna"));
  CHECK_FALSE(federation::parse_account_handle("@anna"));
  CHECK_FALSE(federation::parse_account_handle("@anna@"));
  CHECK_FALSE(federation::parse_account_handle("an na@x.example"));
  CHECK_FALSE(federation::parse_account_handle("anna@x.example/path"));
  CHECK(federation::is_actor_url("https://x.example/users/a"));
  CHECK(federation::is_actor_url("HTTP://x.example/u"));
  CHECK_FALSE(federation::is_actor_url("ftp://x.example/u"));
  CHECK_FALSE(federation::is_actor_url("anna@x.example"));
}

TEST_CASE("webfinger: plain-http fallback only for IP literals and localhost") {
  CHECK(federation::allows_plain_http_fallback("127.0.0.1:8081"));
  CHECK(federation::allows_plain_http_fallback("[::1]:8081"));
  CHECK(federation::allows_plain_http_fallback("localhost:3000"));
  CHECK(federation::allows_plain_http_fallback("10.1.2.3"));
  CHECK_FALSE(federation::allows_plain_http_fallback("social.example"));
  CHECK_FALSE(federation::allows_plain_http_fallback("social.example:8443"));
  CHECK_FALSE(federation::allows_plain_http_fallback("127.0.0.1.nip.io"));
}

TEST_CASE("webfinger: the self link of an AS2 type is the actor id") {
  CHECK(federation::actor_link_of(kJrd).value() == "http://127.0.0.1:8081/users/anna");
  const std::string ld =
      R"({"links":[{"rel":"self","type":"application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"","href":"https://x.example/a"}]})";
  CHECK(federation::actor_link_of(ld).value() == "https://x.example/a");
  const std::string html_only =
      R"({"links":[{"rel":"self","type":"text/html","href":"https://x.example/a"}]})";
  CHECK(federation::actor_link_of(html_only).error() == WebfingerError::no_actor_link);
  const std::string not_http =
      R"({"links":[{"rel":"self","type":"application/activity+json","href":"javascript:x"}]})";
  CHECK(federation::actor_link_of(not_http).error() == WebfingerError::no_actor_link);
  CHECK(federation::actor_link_of("{").error() == WebfingerError::bad_document);
  CHECK(federation::actor_link_of("{}").error() == WebfingerError::no_actor_link);
}

TEST_CASE("webfinger: https first, then http when https cannot connect to an IP literal") {
  for (auto failure : {HttpError::connect_failed, HttpError::tls_failed}) {
    test::FakeTransport transport;
    transport.fail("https://127.0.0.1:8081/.well-known/webfinger?resource=acct:anna@127.0.0.1:8081",
                   failure);
    transport.answer(
        "http://127.0.0.1:8081/.well-known/webfinger?resource=acct:anna@127.0.0.1:8081", 200, kJrd);
    federation::WebfingerClient client(transport);
    auto found = run(client.resolve(std::string("@anna@127.0.0.1:8081")));
    REQUIRE(found.has_value());
    CHECK(*found == "http://127.0.0.1:8081/users/anna");
    REQUIRE(transport.requests.size() == 2);
    CHECK(transport.requests[0].url.rfind("https://", 0) == 0);
    CHECK(transport.requests[0].header("Accept")->find("application/jrd+json") == 0);
    CHECK(transport.requests[1].url.rfind("http://", 0) == 0);
  }
}

TEST_CASE("webfinger: no http fallback for DNS names or for timeouts") {
  test::FakeTransport transport;
  const std::string https =
      "https://social.example/.well-known/webfinger?resource=acct:anna@social.example";
  transport.fail(https, HttpError::connect_failed);
  transport.answer("http://social.example/.well-known/webfinger?resource=acct:anna@social.example",
                   200, kJrd);
  federation::WebfingerClient client(transport);
  auto found = run(client.resolve(std::string("anna@social.example")));
  REQUIRE_FALSE(found.has_value());
  CHECK(found.error() == HttpError::connect_failed);
  CHECK(transport.requests.size() == 1);

  test::FakeTransport slow;
  slow.fail("https://127.0.0.1:9/.well-known/webfinger?resource=acct:anna@127.0.0.1:9",
            HttpError::timeout);
  federation::WebfingerClient slow_client(slow);
  CHECK(run(slow_client.resolve(std::string("anna@127.0.0.1:9"))).error() == HttpError::timeout);
  CHECK(slow.requests.size() == 1);
}

TEST_CASE("webfinger: HTTP answers map to errors - URLs skip the lookup") {
  test::FakeTransport transport;
  transport.answer("https://x.example/.well-known/webfinger?resource=acct:gone@x.example", 410, "");
  transport.answer("https://x.example/.well-known/webfinger?resource=acct:err@x.example", 500, "");
  transport.answer("https://x.example/.well-known/webfinger?resource=acct:junk@x.example", 200,
                   "<html>");
  federation::WebfingerClient client(transport);
  CHECK(run(client.resolve(std::string("nobody@x.example"))).error() == WebfingerError::not_found);
  CHECK(run(client.resolve(std::string("gone@x.example"))).error() == WebfingerError::gone);
  CHECK(run(client.resolve(std::string("err@x.example"))).error() ==
        WebfingerError::unexpected_status);
  CHECK(run(client.resolve(std::string("junk@x.example"))).error() == WebfingerError::bad_document);
  CHECK(run(client.resolve(std::string("not a handle"))).error() == WebfingerError::bad_handle);
  const auto before = transport.requests.size();
  CHECK(run(client.resolve(std::string("https://y.example/ap/users/7"))).value() ==
        "https://y.example/ap/users/7");
  CHECK(transport.requests.size() == before);
}

TEST_CASE("webfinger: no lookup goes to a blocked domain, nor is one taken from a redirect") {
  test::FakeTransport transport;
  transport.answer("https://ok.example/.well-known/webfinger?resource=acct:anna@ok.example", 200,
                   kJrd);
  auto blocks = std::make_shared<federation::BlockList>(
      std::vector<federation::DomainRule>{*federation::parse_domain_rule("spam.example")});
  federation::WebfingerClient client(transport, blocks);
  CHECK(run(client.resolve(std::string("troll@spam.example"))).error() ==
        federation::FederationError::blocked_domain);
  CHECK(transport.requests.empty());
  // Another domain is still looked up.
  CHECK(run(client.resolve(std::string("anna@ok.example"))).value() ==
        "http://127.0.0.1:8081/users/anna");
  CHECK(transport.requests.size() == 1);
  // A block added later (civicpub domain block) holds at once.
  blocks->update({*federation::parse_domain_rule("ok.example")}, {});
  CHECK(run(client.resolve(std::string("anna@ok.example"))).error() ==
        federation::FederationError::blocked_domain);
  CHECK(transport.requests.size() == 1);
}
