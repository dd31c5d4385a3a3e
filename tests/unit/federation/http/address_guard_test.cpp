#include "federation/http/address_guard.hpp"
#include "federation/http/cidr.hpp"
#include "federation/http/error.hpp"

#include <catch2/catch.hpp>

using namespace civicpub::federation::http;
using boost::asio::ip::make_address;

namespace {

AddressClass class_of(const char* text) {
  return classify(make_address(text));
}

}  // namespace

TEST_CASE("classify refuses every special-purpose IPv4 range") {
  struct Case {
    const char* address;
    AddressClass expected;
  };
  const Case cases[] = {
      {"0.0.0.0", AddressClass::unspecified},
      {"0.1.2.3", AddressClass::reserved},
      {"10.0.0.1", AddressClass::private_use},
      {"10.255.255.255", AddressClass::private_use},
      {"100.64.0.1", AddressClass::shared_cgnat},
      {"100.127.255.254", AddressClass::shared_cgnat},
      {"127.0.0.1", AddressClass::loopback},
      {"127.255.255.254", AddressClass::loopback},
      {"169.254.169.254", AddressClass::link_local},
      {"172.16.0.1", AddressClass::private_use},
      {"172.31.255.255", AddressClass::private_use},
      {"192.0.0.8", AddressClass::reserved},
      {"192.0.2.1", AddressClass::documentation},
      {"192.88.99.1", AddressClass::reserved},
      {"192.168.1.1", AddressClass::private_use},
      {"198.18.0.1", AddressClass::reserved},
      {"198.19.255.255", AddressClass::reserved},
      {"198.51.100.7", AddressClass::documentation},
      {"203.0.113.9", AddressClass::documentation},
      {"224.0.0.1", AddressClass::multicast},
      {"239.255.255.250", AddressClass::multicast},
      {"240.0.0.1", AddressClass::reserved},
      {"255.255.255.254", AddressClass::reserved},
      {"255.255.255.255", AddressClass::broadcast},
  };
  for (const auto& c : cases) {
    INFO(c.address);
    CHECK(class_of(c.address) == c.expected);
  }
}

TEST_CASE("classify lets public IPv4 addresses next to refused ranges through") {
  for (const char* text : {"1.1.1.1", "9.255.255.255", "11.0.0.0", "100.63.255.255", "100.128.0.0",
                           "126.255.255.255", "128.0.0.0", "169.253.255.255", "172.15.255.255",
                           "172.32.0.0", "192.0.1.255", "192.167.255.255", "192.169.0.0",
                           "198.17.255.255", "198.20.0.0", "203.0.112.255", "223.255.255.255"}) {
    INFO(text);
    CHECK(class_of(text) == AddressClass::global);
  }
}

TEST_CASE("classify refuses special-purpose IPv6 ranges") {
  struct Case {
    const char* address;
    AddressClass expected;
  };
  const Case cases[] = {
      {"::", AddressClass::unspecified},
      {"::1", AddressClass::loopback},
      {"fe80::1", AddressClass::link_local},
      {"febf:ffff::1", AddressClass::link_local},
      {"fec0::1", AddressClass::private_use},
      {"fc00::1", AddressClass::unique_local},
      {"fd12:3456:789a::1", AddressClass::unique_local},
      {"ff02::1", AddressClass::multicast},
      {"ff0e::1", AddressClass::multicast},
      {"2001:db8::1", AddressClass::documentation},
      {"2001:db8:ffff::1", AddressClass::documentation},
      {"3fff::1", AddressClass::documentation},
      {"2001::1", AddressClass::reserved},       // Teredo
      {"2001:10::1", AddressClass::reserved},    // ORCHID
      {"100::1", AddressClass::reserved},        // discard-only
      {"64:ff9b:1::1", AddressClass::reserved},  // local-use NAT64
      {"4000::1", AddressClass::reserved},       // outside 2000::/3
  };
  for (const auto& c : cases) {
    INFO(c.address);
    CHECK(class_of(c.address) == c.expected);
  }
  for (const char* text : {"2a00:1450:4001::1", "2606:4700::1111", "2001:4860::8888"}) {
    INFO(text);
    CHECK(class_of(text) == AddressClass::global);
  }
}

TEST_CASE("classify sees through IPv6 forms that embed an IPv4 address") {
  struct Case {
    const char* address;
    AddressClass expected;
  };
  const Case cases[] = {
      // IPv4-mapped
      {"::ffff:127.0.0.1", AddressClass::loopback},
      {"::ffff:10.1.2.3", AddressClass::private_use},
      {"::ffff:172.16.0.1", AddressClass::private_use},
      {"::ffff:192.168.0.1", AddressClass::private_use},
      {"::ffff:169.254.169.254", AddressClass::link_local},
      {"::ffff:100.64.0.1", AddressClass::shared_cgnat},
      {"::ffff:0.0.0.0", AddressClass::unspecified},
      {"::ffff:224.0.0.1", AddressClass::multicast},
      {"::ffff:255.255.255.255", AddressClass::broadcast},
      {"::ffff:240.0.0.1", AddressClass::reserved},
      {"::ffff:198.18.0.1", AddressClass::reserved},
      {"::ffff:192.0.2.1", AddressClass::documentation},
      {"::ffff:1.1.1.1", AddressClass::global},
      // IPv4-compatible (deprecated)
      {"::127.0.0.1", AddressClass::loopback},
      {"::10.0.0.1", AddressClass::private_use},
      {"::192.168.1.1", AddressClass::private_use},
      {"::169.254.1.1", AddressClass::link_local},
      // NAT64 well-known prefix
      {"64:ff9b::10.0.0.1", AddressClass::private_use},
      {"64:ff9b::127.0.0.1", AddressClass::loopback},
      {"64:ff9b::1.1.1.1", AddressClass::global},
      // 6to4
      {"2002:c0a8:0101::1", AddressClass::private_use},  // 192.168.1.1
      {"2002:7f00:0001::", AddressClass::loopback},
      {"2002:0101:0101::1", AddressClass::global},
  };
  for (const auto& c : cases) {
    INFO(c.address);
    CHECK(class_of(c.address) == c.expected);
  }
}

TEST_CASE("AddressGuard refuses by default and opens only allow-listed ranges") {
  AddressGuard strict;
  CHECK(strict.refusal(make_address("127.0.0.1")) == AddressClass::loopback);
  CHECK(strict.refusal(make_address("::ffff:127.0.0.1")) == AddressClass::loopback);
  CHECK(strict.permits(make_address("93.184.215.14")));

  AddressGuard tests({parse_cidr("127.0.0.0/8").value(), parse_cidr("::1/128").value()});
  CHECK(tests.permits(make_address("127.0.0.1")));
  CHECK(tests.permits(make_address("127.9.9.9")));
  CHECK(tests.permits(make_address("::1")));
  // The mapped form is the same destination as the allow-listed IPv4 address...
  CHECK(tests.permits(make_address("::ffff:127.0.0.1")));
  // ... but NAT64 and 6to4 forms go through a gateway and stay refused.
  CHECK_FALSE(tests.permits(make_address("64:ff9b::127.0.0.1")));
  CHECK_FALSE(tests.permits(make_address("2002:7f00:0001::")));
  // Other private ranges stay closed.
  CHECK(tests.refusal(make_address("10.0.0.1")) == AddressClass::private_use);
  CHECK(tests.refusal(make_address("fe80::1")) == AddressClass::link_local);
}

TEST_CASE("parse_cidr reads IPv4 and IPv6 ranges") {
  auto v4 = parse_cidr("172.16.0.0/12");
  REQUIRE(v4.has_value());
  CHECK(v4->prefix == 12);
  CHECK(v4->contains(make_address("172.31.1.1")));
  CHECK_FALSE(v4->contains(make_address("172.32.0.0")));
  CHECK_FALSE(v4->contains(make_address("::ffff:172.16.0.1")));  // families never mix
  CHECK(v4->to_string() == "172.16.0.0/12");

  auto v6 = parse_cidr("fc00::/7");
  REQUIRE(v6.has_value());
  CHECK(v6->contains(make_address("fdff::1")));
  CHECK_FALSE(v6->contains(make_address("fe00::1")));

  auto everything = parse_cidr("0.0.0.0/0");
  REQUIRE(everything.has_value());
  CHECK(everything->contains(make_address("8.8.8.8")));
  CHECK(parse_cidr("::1/128").has_value());
}

TEST_CASE("parse_cidr rejects malformed ranges with errors that say what is wrong") {
  CHECK(parse_cidr("127.0.0.1").error() == CidrError::missing_prefix);
  CHECK(parse_cidr("localhost/8").error() == CidrError::bad_address);
  CHECK(parse_cidr("/8").error() == CidrError::bad_address);
  CHECK(parse_cidr("fe80::1%1/64").error() == CidrError::bad_address);
  CHECK(parse_cidr("10.0.0.0/").error() == CidrError::bad_prefix);
  CHECK(parse_cidr("10.0.0.0/33").error() == CidrError::bad_prefix);
  CHECK(parse_cidr("::/129").error() == CidrError::bad_prefix);
  CHECK(parse_cidr("10.0.0.0/8x").error() == CidrError::bad_prefix);
  CHECK(parse_cidr("10.0.0.0/-1").error() == CidrError::bad_prefix);
  CHECK(parse_cidr("10.0.0.1/8").error() == CidrError::host_bits_set);
  CHECK(parse_cidr("fc00::1/7").error() == CidrError::host_bits_set);

  auto error = parse_cidr("10.0.0.1/8").error();
  CHECK(error.message().find("10.0.0.0/8") != std::string::npos);
  CHECK(civicpub::kind_of(error) == civicpub::ErrorKind::invalid_input);
}
