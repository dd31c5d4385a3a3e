#include "federation/http/http_date.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

namespace civicpub::federation::http {
namespace {

using namespace std::chrono;

constexpr std::array<std::string_view, 7> kDays = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr std::array<std::string_view, 7> kLongDays = {"Sunday",   "Monday", "Tuesday",
                                                        "Wednesday", "Thursday", "Friday",
                                                        "Saturday"};
constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

std::optional<int> digits(std::string_view text, size_t pos, size_t count) {
  if (pos + count > text.size()) return std::nullopt;
  int value = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

std::optional<SysSeconds> parse_fixdate(std::string_view t, bool check_weekday) {
  // "Sun, 06 Nov 1994 08:49:37 GMT" is exactly 29 characters.
  if (t.size() != 29 || t.substr(3, 2) != ", " || t[7] != ' ' || t[11] != ' ' || t[16] != ' ' ||
      t[19] != ':' || t[22] != ':' || t.substr(25) != " GMT") {
    return std::nullopt;
  }
  auto dd = digits(t, 5, 2), yy = digits(t, 12, 4), hh = digits(t, 17, 2), mi = digits(t, 20, 2),
       ss = digits(t, 23, 2);
  if (!dd || !yy || !hh || !mi || !ss || *hh > 23 || *mi > 59 || *ss > 60) return std::nullopt;
  unsigned month = 0;
  for (unsigned i = 0; i < kMonths.size(); ++i) {
    if (t.substr(8, 3) == kMonths[i]) month = i + 1;
  }
  if (month == 0) return std::nullopt;
  year_month_day ymd{year(*yy), std::chrono::month(month), day(unsigned(*dd))};
  if (!ymd.ok()) return std::nullopt;
  sys_days date(ymd);
  if (check_weekday) {
    if (t.substr(0, 3) != kDays[weekday(date).c_encoding()]) return std::nullopt;
  } else if (std::find(kDays.begin(), kDays.end(), t.substr(0, 3)) == kDays.end()) {
    return std::nullopt;
  }
  return SysSeconds(date) + hours(*hh) + minutes(*mi) + seconds(*ss);
}


// "Sun Nov  6 08:49:37 1994" -> "Sun, 06 Nov 1994 08:49:37 GMT"; empty when not that shape.
std::string fixdate_from_asctime(std::string_view t) {
  if (t.size() != 24 || t[3] != ' ' || t[7] != ' ' || t[10] != ' ' || t[19] != ' ') return {};
  const char tens = t[8] == ' ' ? '0' : t[8];
  std::string out(t.substr(0, 3));
  out += ", ";
  out += tens;
  out += t[9];
  out += ' ';
  out += t.substr(4, 3);
  out += ' ';
  out += t.substr(20, 4);
  out += ' ';
  out += t.substr(11, 8);
  out += " GMT";
  return out;
}

// "Sunday, 06-Nov-94 08:49:37 GMT" -> "Sun, 06 Nov 1994 08:49:37 GMT"; empty when not that shape.
std::string fixdate_from_rfc850(std::string_view t) {
  const auto comma = t.find(',');
  if (comma == std::string_view::npos) return {};
  if (std::find(kLongDays.begin(), kLongDays.end(), t.substr(0, comma)) == kLongDays.end()) {
    return {};
  }
  const std::string_view rest = t.substr(comma);  // ", 06-Nov-94 08:49:37 GMT"
  if (rest.size() != 24 || rest[4] != '-' || rest[8] != '-' || rest[11] != ' ') return {};
  const auto yy = digits(rest, 9, 2);
  if (!yy) return {};
  std::string out(t.substr(0, 3));
  out += ", ";
  out += rest.substr(2, 2);
  out += ' ';
  out += rest.substr(5, 3);
  out += ' ';
  out += std::to_string(*yy < 70 ? 2000 + *yy : 1900 + *yy);
  out += rest.substr(11);
  return out;
}

}  // namespace

std::string format_http_date(system_clock::time_point when) {
  auto secs = floor<seconds>(when);
  auto day = floor<days>(secs);
  year_month_day ymd(day);
  hh_mm_ss<seconds> hms(secs - day);
  weekday wd(day);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s, %02u %s %04d %02d:%02d:%02d GMT",
                kDays[wd.c_encoding()].data(), unsigned(ymd.day()),
                kMonths[unsigned(ymd.month()) - 1].data(), int(ymd.year()),
                int(hms.hours().count()), int(hms.minutes().count()), int(hms.seconds().count()));
  return buf;
}

std::optional<SysSeconds> parse_http_date_strict(std::string_view text) {
  return parse_fixdate(text, true);
}

std::optional<SysSeconds> parse_http_date_lenient(std::string_view text) {
  if (text.size() > 3 && text[3] == ',') return parse_fixdate(text, false);
  if (text.size() > 3 && text[3] == ' ') return parse_fixdate(fixdate_from_asctime(text), false);
  return parse_fixdate(fixdate_from_rfc850(text), false);
}

}  // namespace civicpub::federation::http
