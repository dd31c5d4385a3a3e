// An address range such as 127.0.0.0/8 or fc00::/7, as written in the config file
// (federation.allow_private_addresses).
#pragma once

#include "common/error_kind.hpp"

#include <boost/asio/ip/address.hpp>

#include <string>
#include <string_view>

namespace civicpub::federation::http {

struct Cidr {
  boost::asio::ip::address network;  // host bits are zero
  unsigned prefix = 0;               // 0..32 for IPv4, 0..128 for IPv6

  // True when `address` lies in the range. An IPv4 range never contains an IPv6 address
  // (callers unwrap IPv4-mapped forms first; see AddressGuard).
  bool contains(const boost::asio::ip::address& address) const noexcept;

  std::string to_string() const;
};

// Parses "a.b.c.d/n" or "x:y::z/n". Errors are CidrError values whose messages say what to fix.
Result<Cidr> parse_cidr(std::string_view text);

}  // namespace civicpub::federation::http
