#include "federation/http/address_guard.hpp"

#include <array>
#include <cstdint>

namespace civicpub::federation::http {
namespace {

using boost::asio::ip::address;
using boost::asio::ip::address_v4;
using boost::asio::ip::address_v6;

struct V4Range {
  std::uint32_t network;
  unsigned prefix;
  AddressClass cls;
};

constexpr std::uint32_t ip4(unsigned a, unsigned b, unsigned c, unsigned d) {
  return (a << 24) | (b << 16) | (c << 8) | d;
}

// IANA IPv4 special-purpose registry, the entries that are not globally reachable.
constexpr std::array<V4Range, 16> kV4Special{{
    {ip4(0, 0, 0, 0), 32, AddressClass::unspecified},
    {ip4(255, 255, 255, 255), 32, AddressClass::broadcast},
    {ip4(0, 0, 0, 0), 8, AddressClass::reserved},
    {ip4(10, 0, 0, 0), 8, AddressClass::private_use},
    {ip4(100, 64, 0, 0), 10, AddressClass::shared_cgnat},
    {ip4(127, 0, 0, 0), 8, AddressClass::loopback},
    {ip4(169, 254, 0, 0), 16, AddressClass::link_local},
    {ip4(172, 16, 0, 0), 12, AddressClass::private_use},
    {ip4(192, 0, 0, 0), 24, AddressClass::reserved},
    {ip4(192, 0, 2, 0), 24, AddressClass::documentation},
    {ip4(192, 88, 99, 0), 24, AddressClass::reserved},  // deprecated 6to4 relay anycast
    {ip4(192, 168, 0, 0), 16, AddressClass::private_use},
    {ip4(198, 18, 0, 0), 15, AddressClass::reserved},  // benchmarking
    {ip4(198, 51, 100, 0), 24, AddressClass::documentation},
    {ip4(203, 0, 113, 0), 24, AddressClass::documentation},
    {ip4(224, 0, 0, 0), 4, AddressClass::multicast},
}};

AddressClass classify_v4(const address_v4& a) {
  std::uint32_t value = a.to_uint();
  for (const auto& range : kV4Special) {
    std::uint32_t mask = range.prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - range.prefix);
    if ((value & mask) == range.network) return range.cls;
  }
  // 240/4 after the broadcast check above (255.255.255.255 lies inside it).
  if ((value >> 28) == 0xF) return AddressClass::reserved;
  return AddressClass::global;
}

address_v4 v4_from(const address_v6::bytes_type& b, std::size_t at) {
  return address_v4(address_v4::bytes_type{b[at], b[at + 1], b[at + 2], b[at + 3]});
}

bool all_zero(const address_v6::bytes_type& b, std::size_t from, std::size_t to) {
  for (std::size_t i = from; i < to; ++i) {
    if (b[i] != 0) return false;
  }
  return true;
}

AddressClass classify_v6(const address_v6& a) {
  if (a.is_unspecified()) return AddressClass::unspecified;
  if (a.is_loopback()) return AddressClass::loopback;
  if (auto v4 = embedded_v4(a)) {
    // An embedded public address is as reachable as the address itself; a public server never
    // needs the IPv4-compatible form (deprecated by RFC 4291), but it is no way around the rules.
    return classify_v4(*v4);
  }
  const auto b = a.to_bytes();
  const unsigned top16 = (unsigned{b[0]} << 8) | b[1];
  if (b[0] == 0xFF) return AddressClass::multicast;
  if ((b[0] & 0xFE) == 0xFC) return AddressClass::unique_local;
  if (top16 >= 0xFE80 && top16 <= 0xFEBF) return AddressClass::link_local;
  if (top16 >= 0xFEC0 && top16 <= 0xFEFF) return AddressClass::private_use;
  if (top16 == 0x2001 && b[2] == 0x0D && b[3] == 0xB8) return AddressClass::documentation;
  if (top16 == 0x3FFF && (b[2] & 0xF0) == 0) return AddressClass::documentation;  // RFC 9637
  // 2001::/23 holds IETF protocol assignments: Teredo 2001::/32 (whose client address is
  // obfuscated and never a federation peer), ORCHID, benchmarking 2001:2::/48.
  if (top16 == 0x2001 && b[2] < 0x02) return AddressClass::reserved;
  // Only 2000::/3 is allocated as global unicast; 100::/64 (discard), 64:ff9b:1::/48 (local
  // NAT64) and everything else outside it are not reachable peers.
  if ((b[0] & 0xE0) != 0x20) return AddressClass::reserved;
  return AddressClass::global;
}

}  // namespace

std::string_view to_string(AddressClass c) {
  switch (c) {
    case AddressClass::global: return "global";
    case AddressClass::unspecified: return "unspecified";
    case AddressClass::loopback: return "loopback";
    case AddressClass::private_use: return "private";
    case AddressClass::link_local: return "link-local";
    case AddressClass::shared_cgnat: return "shared (CGNAT)";
    case AddressClass::multicast: return "multicast";
    case AddressClass::broadcast: return "broadcast";
    case AddressClass::documentation: return "documentation";
    case AddressClass::unique_local: return "unique local";
    case AddressClass::reserved: return "reserved";
  }
  return "reserved";
}

std::optional<address_v4> embedded_v4(const address_v6& v6) {
  const auto b = v6.to_bytes();
  // ::ffff:a.b.c.d (IPv4-mapped) and ::a.b.c.d (IPv4-compatible); :: and ::1 are not IPv4.
  if (all_zero(b, 0, 10) && b[10] == 0xFF && b[11] == 0xFF) return v4_from(b, 12);
  if (all_zero(b, 0, 12) && !v6.is_unspecified() && !v6.is_loopback()) return v4_from(b, 12);
  // 64:ff9b::/96, the well-known NAT64 prefix (RFC 6052): a NAT64 gateway would connect to the
  // embedded address on our behalf.
  if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B && all_zero(b, 4, 12)) {
    return v4_from(b, 12);
  }
  // 2002:aabb:ccdd::/48, 6to4 (RFC 3056): the relay delivers to aa.bb.cc.dd.
  if (b[0] == 0x20 && b[1] == 0x02) return v4_from(b, 2);
  return std::nullopt;
}

AddressClass classify(const address& a) {
  return a.is_v4() ? classify_v4(a.to_v4()) : classify_v6(a.to_v6());
}

AddressGuard::AddressGuard(std::vector<Cidr> allow) : allow_(std::move(allow)) {}

bool AddressGuard::allow_listed(const address& a) const {
  for (const auto& cidr : allow_) {
    if (cidr.contains(a)) return true;
  }
  // 127.0.0.0/8 allow-listed also opens ::ffff:127.0.0.1: a socket connecting to the mapped
  // form reaches the same destination. (NAT64 and 6to4 forms go through a gateway elsewhere, so
  // they stay refused.)
  if (a.is_v6() && a.to_v6().is_v4_mapped()) {
    address v4(boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, a.to_v6()));
    for (const auto& cidr : allow_) {
      if (cidr.contains(v4)) return true;
    }
  }
  return false;
}

std::optional<AddressClass> AddressGuard::refusal(const address& a) const {
  auto cls = classify(a);
  if (cls == AddressClass::global || allow_listed(a)) return std::nullopt;
  return cls;
}

}  // namespace civicpub::federation::http
