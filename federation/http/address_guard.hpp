// The SSRF guard (INTEROP.md section 6): which addresses the federation client may connect to.
// Every address a name resolves to is checked, and the client connects only to checked addresses.
#pragma once

#include "federation/http/cidr.hpp"

#include <boost/asio/ip/address.hpp>

#include <optional>
#include <string_view>
#include <vector>

namespace civicpub::federation::http {

// Why an address is (not) reachable from a public server. Everything but `global` is refused
// unless allow-listed.
enum class AddressClass {
  global,         // public unicast
  unspecified,    // 0.0.0.0, ::
  loopback,       // 127/8, ::1
  private_use,    // 10/8, 172.16/12, 192.168/16, fec0::/10 (deprecated site-local)
  link_local,     // 169.254/16, fe80::/10
  shared_cgnat,   // 100.64/10 (RFC 6598)
  multicast,      // 224/4, ff00::/8
  broadcast,      // 255.255.255.255
  documentation,  // 192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32, 3fff::/20
  unique_local,   // fc00::/7
  reserved,       // 0/8, 192.0.0/24, 192.88.99/24, 198.18/15, 240/4, IPv6 outside 2000::/3,
                  // 2001::/23 (Teredo, ORCHID, ...), 100::/64, local-use NAT64 64:ff9b:1::/48
};

std::string_view to_string(AddressClass c);

// Classifies an address. IPv6 forms that carry an IPv4 address (IPv4-mapped ::ffff:a.b.c.d,
// IPv4-compatible ::a.b.c.d, NAT64 64:ff9b::a.b.c.d, 6to4 2002:aabb:ccdd::) get the class of the
// IPv4 address inside, so ::ffff:127.0.0.1 is loopback and 2002:0a00:0001:: is private_use.
AddressClass classify(const boost::asio::ip::address& address);

// The IPv4 address an IPv6 address embeds in one of the forms above, if any.
std::optional<boost::asio::ip::address_v4> embedded_v4(const boost::asio::ip::address_v6& v6);

class AddressGuard {
 public:
  // `allow` opens ranges that would otherwise be refused (127.0.0.0/8 for tests on loopback).
  explicit AddressGuard(std::vector<Cidr> allow = {});

  // nullopt when the client may connect; otherwise why not.
  std::optional<AddressClass> refusal(const boost::asio::ip::address& address) const;
  bool permits(const boost::asio::ip::address& address) const { return !refusal(address); }

 private:
  bool allow_listed(const boost::asio::ip::address& address) const;

  std::vector<Cidr> allow_;
};

}  // namespace civicpub::federation::http
