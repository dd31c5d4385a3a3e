#include "server/html/time_text.hpp"

#include "federation/as2/time_format.hpp"

#include <array>
#include <chrono>
#include <cstdio>
#include <string_view>

namespace civicpub::server::html {
namespace {

// English month abbreviations, not the C locale's: the process locale must not change a page.
constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

}  // namespace

std::string readable_utc(storage::Millis at) {
  using namespace std::chrono;
  const sys_time<milliseconds> tp{milliseconds{at}};
  const auto day = floor<days>(tp);
  const year_month_day ymd{day};
  const hh_mm_ss hms{tp - day};
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%u %s %d, %02d:%02d UTC", unsigned(ymd.day()),
                kMonths[unsigned(ymd.month()) - 1].data(), int(ymd.year()),
                int(hms.hours().count()), int(hms.minutes().count()));
  return buffer;
}

std::string time_element(storage::Millis at) {
  // Both strings are made of digits and fixed ASCII words: nothing to escape.
  return "<time datetime=\"" + federation::as2::format_iso8601_ms(at) + "\">" + readable_utc(at) +
         "</time>";
}

}  // namespace civicpub::server::html
