#include "federation/as2/time_format.hpp"

#include "federation/as2/error.hpp"

#include <array>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <optional>

namespace civicpub::federation::as2 {
namespace {

using namespace std::chrono;

struct Civil {
  int year = 0;
  unsigned month = 0, day = 0, hour = 0, minute = 0, second = 0, millis = 0;
};

Civil to_civil(Millis at) {
  const sys_time<milliseconds> tp{milliseconds{at}};
  const auto day = floor<days>(tp);
  const year_month_day ymd{day};
  const hh_mm_ss hms{tp - day};
  return {int(ymd.year()),
          unsigned(ymd.month()),
          unsigned(ymd.day()),
          unsigned(hms.hours().count()),
          unsigned(hms.minutes().count()),
          unsigned(hms.seconds().count()),
          unsigned(hms.subseconds().count())};
}

// Milliseconds since the epoch, or nothing when a field is out of range. A leap second (:60) is
// read as the first second of the next minute rather than rejected: peers on smeared clocks
// never send it, and a strict reject would drop a whole activity over one second.
std::optional<Millis> from_civil(const Civil& c) {
  const year_month_day ymd{year{c.year}, month{c.month}, day{c.day}};
  if (!ymd.ok() || c.hour > 23 || c.minute > 59 || c.second > 60) return std::nullopt;
  const auto tp = sys_days{ymd} + hours{c.hour} + minutes{c.minute} + seconds{c.second} +
                  milliseconds{c.millis};
  return duration_cast<milliseconds>(tp.time_since_epoch()).count();
}

// A cursor over the text with exact-width digit reads; every read fails soft so one check at the
// end decides.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  bool digits(std::size_t width, unsigned& out) {
    if (pos_ + width > text_.size()) return ok_ = false;
    unsigned value = 0;
    for (std::size_t i = 0; i < width; ++i) {
      const char c = text_[pos_ + i];
      if (c < '0' || c > '9') return ok_ = false;
      value = value * 10 + unsigned(c - '0');
    }
    pos_ += width;
    out = value;
    return true;
  }
  bool literal(std::string_view s) {
    if (text_.substr(pos_, s.size()) != s) return ok_ = false;
    pos_ += s.size();
    return true;
  }
  bool one_of(std::string_view chars) {
    if (pos_ >= text_.size() || chars.find(text_[pos_]) == std::string_view::npos) {
      return ok_ = false;
    }
    ++pos_;
    return true;
  }
  // Index of the name matching the next letters, or -1.
  template <std::size_t N>
  int name(const std::array<std::string_view, N>& names) {
    for (std::size_t i = 0; i < N; ++i) {
      if (text_.substr(pos_, names[i].size()) == names[i]) {
        pos_ += names[i].size();
        return int(i);
      }
    }
    ok_ = false;
    return -1;
  }
  char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
  void skip() { ++pos_; }
  bool done() const { return ok_ && pos_ == text_.size(); }
  bool ok() const { return ok_; }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

Result<Millis> bad_date() {
  return make_error_code(DocumentError::bad_date);
}

// Reads "HH:MM:SS" into c.
void read_clock(Scanner& s, Civil& c) {
  s.digits(2, c.hour) && s.literal(":") && s.digits(2, c.minute) && s.literal(":") &&
      s.digits(2, c.second);
}

}  // namespace

std::string format_iso8601_ms(Millis at) {
  const Civil c = to_civil(at);
  char out[32];
  std::snprintf(out, sizeof out, "%04d-%02u-%02uT%02u:%02u:%02u.%03uZ", c.year, c.month, c.day,
                c.hour, c.minute, c.second, c.millis);
  return out;
}

Result<Millis> parse_iso8601(std::string_view text) {
  Scanner s(text);
  Civil c;
  unsigned y = 0;
  s.digits(4, y) && s.literal("-") && s.digits(2, c.month) && s.literal("-") &&
      s.digits(2, c.day) && s.one_of("Tt");
  read_clock(s, c);
  c.year = int(y);
  if (!s.ok()) return bad_date();
  if (s.peek() == '.') {
    s.skip();
    int count = 0;
    unsigned digit = 0;
    while (s.peek() >= '0' && s.peek() <= '9') {
      s.digits(1, digit);
      if (count < 3) c.millis = c.millis * 10 + digit;
      ++count;
    }
    if (count == 0 || count > 9) return bad_date();
    for (int i = count; i < 3; ++i) c.millis *= 10;
  }
  Millis offset_ms = 0;
  if (s.peek() == 'Z' || s.peek() == 'z') {
    s.skip();
  } else {
    const int sign = s.peek() == '-' ? -1 : 1;
    unsigned oh = 0, om = 0;
    s.one_of("+-") && s.digits(2, oh);
    if (s.peek() == ':') s.skip();
    s.digits(2, om);
    if (oh > 23 || om > 59) return bad_date();
    offset_ms = sign * Millis(oh * 60 + om) * 60'000;
  }
  if (!s.done()) return bad_date();
  const auto local = from_civil(c);
  if (!local) return bad_date();
  return *local - offset_ms;
}

}  // namespace civicpub::federation::as2
