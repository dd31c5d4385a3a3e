#include "server/http/trusted_proxies.hpp"
#include "server/http/errors.hpp"

#include <catch2/catch.hpp>

namespace bhttp = boost::beast::http;
using boost::asio::ip::make_address;
using namespace civicpub::server::http;

namespace {

bhttp::fields forwarded_headers() {
  bhttp::fields h;
  h.set(bhttp::field::host, "internal:8080");
  h.set("X-Forwarded-Proto", "https");
  h.set("X-Forwarded-Host", "town.example");
  h.set("X-Forwarded-For", "203.0.113.9, 10.0.0.2");
  return h;
}

TrustedProxies trust(std::vector<std::string> list) {
  auto t = TrustedProxies::parse(list);
  REQUIRE(t.has_value());
  return *t;
}

}  // namespace

TEST_CASE("CIDR parsing accepts IPv4, IPv6 and bare addresses, rejects the rest") {
  CHECK(parse_cidr("10.0.0.0/8").has_value());
  CHECK(parse_cidr("127.0.0.1").has_value());
  CHECK(parse_cidr("::1").has_value());
  CHECK(parse_cidr("fd00::/8").has_value());
  for (const char* bad : {"", "10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0/8", "nginx",
                          "10.0.0.0/8x", "1.2.3.4/-1"}) {
    INFO(bad);
    auto r = parse_cidr(bad);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error() == ServerError::invalid_cidr);
    CHECK(civicpub::kind_of(r.error()) == civicpub::ErrorKind::invalid_input);
  }
  CHECK_FALSE(TrustedProxies::parse({"127.0.0.1", "bogus"}).has_value());
}

TEST_CASE("CIDR ranges contain exactly their addresses") {
  auto v4 = *parse_cidr("192.168.16.0/20");
  CHECK(v4.contains(make_address("192.168.16.1")));
  CHECK(v4.contains(make_address("192.168.31.255")));
  CHECK_FALSE(v4.contains(make_address("192.168.32.0")));
  CHECK_FALSE(v4.contains(make_address("::1")));
  CHECK(v4.contains(make_address("::ffff:192.168.20.1")));  // dual-stack socket peer
  auto v6 = *parse_cidr("2001:db8::/33");
  CHECK(v6.contains(make_address("2001:db8:7fff::1")));
  CHECK_FALSE(v6.contains(make_address("2001:db8:8000::1")));
  CHECK(parse_cidr("0.0.0.0/0")->contains(make_address("8.8.8.8")));
}

TEST_CASE("forwarded headers count from a trusted peer") {
  auto trusted = trust({"10.0.0.0/8", "::1"});
  auto view = apply_forwarded(make_address("10.0.0.1"), forwarded_headers(), trusted, "http",
                              "default.example");
  CHECK(view.scheme == "https");
  CHECK(view.host == "town.example");
  CHECK(view.remote_address == "203.0.113.9");  // 10.0.0.2 is another of our proxies

  auto v6 = apply_forwarded(make_address("::1"), forwarded_headers(), trusted, "http", "d");
  CHECK(v6.scheme == "https");
  CHECK(v6.host == "town.example");
}

TEST_CASE("forwarded headers are ignored from an untrusted peer") {
  auto trusted = trust({"10.0.0.0/8", "::1"});
  for (const char* peer : {"203.0.113.7", "::2", "2001:db8::1"}) {
    INFO(peer);
    auto view = apply_forwarded(make_address(peer), forwarded_headers(), trusted, "http", "d");
    CHECK(view.scheme == "http");
    CHECK(view.host == "internal:8080");
    CHECK(view.remote_address == make_address(peer).to_string());
  }
  auto none =
      apply_forwarded(make_address("10.0.0.1"), forwarded_headers(), TrustedProxies{}, "http", "d");
  CHECK(none.scheme == "http");
}

TEST_CASE("malformed forwarded values are ignored, and Host falls back to the default") {
  auto trusted = trust({"127.0.0.1"});
  bhttp::fields h;
  h.set("X-Forwarded-Proto", "gopher");
  h.set("X-Forwarded-Host", "evil.example/path");
  h.set("X-Forwarded-For", "not-an-address");
  auto view = apply_forwarded(make_address("127.0.0.1"), h, trusted, "http", "default.example");
  CHECK(view.scheme == "http");
  CHECK(view.host == "default.example");
  CHECK(view.remote_address == "127.0.0.1");
  h.set("X-Forwarded-Proto", "HTTPS, http");
  CHECK(apply_forwarded(make_address("127.0.0.1"), h, trusted, "http", "d").scheme == "https");
}
