// Which peers may tell us the client's scheme, host and address (X-Forwarded-*). Behind nginx the
// peer is the proxy; anyone else could forge these headers, so they count only from a trusted
// peer.
#pragma once

#include "common/error_kind.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/beast/http/fields.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace civicpub::server::http {

// An address range: "10.0.0.0/8", "::1/128", or a bare address (a /32 or /128).
struct Cidr {
  boost::asio::ip::address network;
  unsigned prefix = 0;

  bool contains(const boost::asio::ip::address& addr) const;
};

// ServerError::invalid_cidr for an entry that is not an address or a range with a valid prefix.
Result<Cidr> parse_cidr(std::string_view text);

class TrustedProxies {
 public:
  TrustedProxies() = default;  // trusts nobody

  // Parses every entry; the first bad one fails the whole list (a config error, named by caller).
  static Result<TrustedProxies> parse(const std::vector<std::string>& entries);

  // IPv4-mapped IPv6 peers (::ffff:a.b.c.d on a dual-stack socket) are compared as IPv4.
  bool trusts(const boost::asio::ip::address& addr) const;
  bool empty() const { return ranges_.empty(); }

 private:
  std::vector<Cidr> ranges_;
};

struct ForwardedView {
  std::string remote_address;
  std::string scheme;
  std::string host;
};

// What the client sees. From an untrusted peer: the peer address, default_scheme, and the Host
// header (default_host when absent). From a trusted peer, additionally: X-Forwarded-Proto
// ("http"/"https" only, first element), X-Forwarded-Host (first element, plain host[:port]) and
// the right-most X-Forwarded-For address that is not itself a trusted proxy. Malformed forwarded
// values are ignored, never an error.
ForwardedView apply_forwarded(const boost::asio::ip::address& peer,
                              const boost::beast::http::fields& headers,
                              const TrustedProxies& trusted, std::string_view default_scheme,
                              std::string_view default_host);

// The same, with the peer's address already written as peer_text(peer): a session writes it once
// per connection, not once per request (formatting an address is a good part of a cached
// answer's CPU; issue 15).
ForwardedView apply_forwarded(const boost::asio::ip::address& peer, std::string_view peer_text,
                              const boost::beast::http::fields& headers,
                              const TrustedProxies& trusted, std::string_view default_scheme,
                              std::string_view default_host);

// The peer's address as handlers see it: an IPv4-mapped IPv6 address written as IPv4.
std::string peer_text(const boost::asio::ip::address& peer);

}  // namespace civicpub::server::http
