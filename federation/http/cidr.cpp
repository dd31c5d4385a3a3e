#include "federation/http/cidr.hpp"

#include "federation/http/error.hpp"

#include <array>
#include <charconv>

namespace civicpub::federation::http {
namespace {

using boost::asio::ip::address;

// Both families as a byte array with its width in bits, so one loop serves IPv4 and IPv6.
struct Bits {
  std::array<unsigned char, 16> bytes{};
  unsigned width = 0;
};

Bits bits_of(const address& a) {
  Bits b;
  if (a.is_v4()) {
    auto v4 = a.to_v4().to_bytes();
    std::copy(v4.begin(), v4.end(), b.bytes.begin());
    b.width = 32;
  } else {
    b.bytes = a.to_v6().to_bytes();
    b.width = 128;
  }
  return b;
}

// Compares the first `prefix` bits of two byte arrays.
bool same_prefix(const Bits& a, const Bits& b, unsigned prefix) {
  unsigned full = prefix / 8;
  for (unsigned i = 0; i < full; ++i) {
    if (a.bytes[i] != b.bytes[i]) return false;
  }
  unsigned rest = prefix % 8;
  if (rest == 0) return true;
  auto mask = static_cast<unsigned char>(0xFF << (8 - rest));
  return (a.bytes[full] & mask) == (b.bytes[full] & mask);
}

bool host_bits_zero(const Bits& b, unsigned prefix) {
  for (unsigned bit = prefix; bit < b.width; ++bit) {
    if (b.bytes[bit / 8] & (0x80 >> (bit % 8))) return false;
  }
  return true;
}

}  // namespace

bool Cidr::contains(const address& candidate) const noexcept {
  if (candidate.is_v4() != network.is_v4()) return false;
  return same_prefix(bits_of(candidate), bits_of(network), prefix);
}

std::string Cidr::to_string() const {
  return network.to_string() + "/" + std::to_string(prefix);
}

Result<Cidr> parse_cidr(std::string_view text) {
  auto slash = text.find('/');
  if (slash == std::string_view::npos) return CidrError::missing_prefix;

  boost::system::error_code ec;
  auto network = boost::asio::ip::make_address(std::string(text.substr(0, slash)), ec);
  if (ec) return CidrError::bad_address;
  // A zone id (fe80::1%eth0) names an interface, not a range.
  if (network.is_v6() && network.to_v6().scope_id() != 0) return CidrError::bad_address;

  auto digits = text.substr(slash + 1);
  unsigned prefix = 0;
  auto [end, err] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
  if (digits.empty() || err != std::errc{} || end != digits.data() + digits.size()) {
    return CidrError::bad_prefix;
  }
  auto bits = bits_of(network);
  if (prefix > bits.width) return CidrError::bad_prefix;
  if (!host_bits_zero(bits, prefix)) return CidrError::host_bits_set;
  return Cidr{network, prefix};
}

}  // namespace civicpub::federation::http
