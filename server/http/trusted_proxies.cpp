#include "server/http/trusted_proxies.hpp"

#include "server/http/errors.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace civicpub::server::http {
namespace ip = boost::asio::ip;
namespace bhttp = boost::beast::http;
namespace {

ip::address normalize(const ip::address& addr) {
  if (addr.is_v6() && addr.to_v6().is_v4_mapped()) {
    return ip::make_address_v4(ip::v4_mapped, addr.to_v6());
  }
  return addr;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string_view first_element(std::string_view list) {
  return trim(list.substr(0, list.find(',')));
}

// host[:port] with the characters of a reg-name, IPv4 or bracketed IPv6 literal; anything else
// (spaces, '/', '@') could smuggle a path or userinfo into URLs built from it.
bool plausible_host(std::string_view host) {
  if (host.empty() || host.size() > 255) return false;
  return std::all_of(host.begin(), host.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '.' || c == '-' || c == ':' || c == '[' || c == ']' || c == '_';
  });
}

std::optional<ip::address> parse_address(std::string_view text) {
  text = trim(text);
  // X-Forwarded-For may carry "[v6]:port" or "v4:port" from some proxies.
  if (!text.empty() && text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    text = text.substr(1, close - 1);
  } else if (std::count(text.begin(), text.end(), ':') == 1) {
    text = text.substr(0, text.find(':'));
  }
  boost::system::error_code ec;
  auto addr = ip::make_address(std::string(text), ec);
  if (ec) return std::nullopt;
  return normalize(addr);
}

}  // namespace

bool Cidr::contains(const ip::address& addr_in) const {
  const ip::address addr = normalize(addr_in);
  if (addr.is_v4() != network.is_v4()) return false;
  auto bytes_equal = [this](const auto& a, const auto& b) {
    unsigned bits = prefix;
    for (std::size_t i = 0; i < a.size() && bits > 0; ++i) {
      unsigned take = std::min(bits, 8u);
      auto mask = static_cast<unsigned char>(0xFFu << (8 - take));
      if ((a[i] & mask) != (b[i] & mask)) return false;
      bits -= take;
    }
    return true;
  };
  if (addr.is_v4()) return bytes_equal(addr.to_v4().to_bytes(), network.to_v4().to_bytes());
  return bytes_equal(addr.to_v6().to_bytes(), network.to_v6().to_bytes());
}

Result<Cidr> parse_cidr(std::string_view text) {
  text = trim(text);
  auto slash = text.find('/');
  boost::system::error_code ec;
  auto addr = ip::make_address(std::string(text.substr(0, slash)), ec);
  if (ec) return ServerError::invalid_cidr;
  addr = normalize(addr);
  const unsigned max = addr.is_v4() ? 32 : 128;
  unsigned prefix = max;
  if (slash != std::string_view::npos) {
    std::string_view digits = text.substr(slash + 1);
    auto [end, perr] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
    if (digits.empty() || perr != std::errc{} || end != digits.data() + digits.size() ||
        prefix > max) {
      return ServerError::invalid_cidr;
    }
  }
  return Cidr{addr, prefix};
}

Result<TrustedProxies> TrustedProxies::parse(const std::vector<std::string>& entries) {
  TrustedProxies out;
  for (const auto& entry : entries) {
    auto cidr = parse_cidr(entry);
    if (!cidr) return cidr.error();
    out.ranges_.push_back(*cidr);
  }
  return out;
}

bool TrustedProxies::trusts(const ip::address& addr) const {
  return std::any_of(ranges_.begin(), ranges_.end(),
                     [&](const Cidr& c) { return c.contains(addr); });
}

std::string peer_text(const ip::address& peer) {
  return normalize(peer).to_string();
}

ForwardedView apply_forwarded(const ip::address& peer, const bhttp::fields& headers,
                              const TrustedProxies& trusted, std::string_view default_scheme,
                              std::string_view default_host) {
  return apply_forwarded(peer, peer_text(peer), headers, trusted, default_scheme, default_host);
}

ForwardedView apply_forwarded(const ip::address& peer, std::string_view peer_text,
                              const bhttp::fields& headers, const TrustedProxies& trusted,
                              std::string_view default_scheme, std::string_view default_host) {
  ForwardedView view{std::string(peer_text), std::string(default_scheme),
                     std::string(default_host)};
  if (auto it = headers.find(bhttp::field::host); it != headers.end() && !it->value().empty()) {
    view.host = std::string(it->value());
  }
  if (!trusted.trusts(peer)) return view;

  if (auto it = headers.find("X-Forwarded-Proto"); it != headers.end()) {
    std::string proto(first_element(it->value()));
    std::transform(proto.begin(), proto.end(), proto.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (proto == "http" || proto == "https") view.scheme = proto;
  }
  if (auto it = headers.find("X-Forwarded-Host"); it != headers.end()) {
    std::string_view host = first_element(it->value());
    if (plausible_host(host)) view.host = std::string(host);
  }
  if (auto it = headers.find("X-Forwarded-For"); it != headers.end()) {
    // Each proxy appends the address it saw; walk from the right past our own proxies.
    std::string_view list = it->value();
    while (!list.empty()) {
      auto comma = list.rfind(',');
      std::string_view item = comma == std::string_view::npos ? list : list.substr(comma + 1);
      list = comma == std::string_view::npos ? std::string_view{} : list.substr(0, comma);
      auto addr = parse_address(item);
      if (!addr) break;
      view.remote_address = addr->to_string();
      if (!trusted.trusts(*addr)) break;
    }
  }
  return view;
}

}  // namespace civicpub::server::http
