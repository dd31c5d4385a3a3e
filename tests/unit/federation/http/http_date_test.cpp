#include "federation/http/http_date.hpp"

#include <catch2/catch.hpp>

using namespace civicpub::federation::http;
using namespace std::chrono;

namespace {

const sys_seconds kRfcExample{seconds(784111777)};  // Sun, 06 Nov 1994 08:49:37 GMT

}  // namespace

TEST_CASE("http dates: IMF-fixdate is written and read back") {
  CHECK(format_http_date(system_clock::time_point(kRfcExample)) ==
        "Sun, 06 Nov 1994 08:49:37 GMT");
  CHECK(format_http_date(system_clock::time_point(seconds(1388957500))) ==
        "Sun, 05 Jan 2014 21:31:40 GMT");
  // Milliseconds are cut, so what the signer writes reads back to the second in both forms.
  const auto at = system_clock::time_point(milliseconds(1795372364123));
  const auto written = format_http_date(at);
  CHECK(written == "Sun, 22 Nov 2026 18:32:44 GMT");
  CHECK(parse_http_date_strict(written) == floor<seconds>(at));
  CHECK(parse_http_date_lenient(written) == floor<seconds>(at));
}

TEST_CASE("http dates: the strict form takes IMF-fixdate with the right weekday only") {
  CHECK(parse_http_date_strict("Sun, 06 Nov 1994 08:49:37 GMT") == kRfcExample);
  for (const char* bad : {"Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994",
                          "Mon, 06 Nov 1994 08:49:37 GMT", "Sun, 31 Nov 1994 08:49:37 GMT",
                          "Sun, 06 Nov 1994 24:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 UTC", ""}) {
    INFO(bad);
    CHECK_FALSE(parse_http_date_strict(bad).has_value());
  }
}

TEST_CASE("http dates: the lenient form takes all three RFC 9110 forms") {
  CHECK(parse_http_date_lenient("Sun, 06 Nov 1994 08:49:37 GMT") == kRfcExample);
  CHECK(parse_http_date_lenient("Sunday, 06-Nov-94 08:49:37 GMT") == kRfcExample);
  CHECK(parse_http_date_lenient("Sun Nov  6 08:49:37 1994") == kRfcExample);
  // The weekday is not checked against the date (a wrong one is the sender's slip).
  CHECK(parse_http_date_lenient("Sun Nov 16 08:49:37 1994") == kRfcExample + days(10));
  // Two-digit years below 70 are this century.
  CHECK(parse_http_date_lenient("Tuesday, 01-Jan-30 00:00:00 GMT") ==
        sys_seconds(seconds(1893456000)));
}

TEST_CASE("http dates: malformed values are refused by the lenient form too") {
  for (const char* bad :
       {"", "Sun, 06 Nov 1994 08:49:37", "Sun, 06 Nov 1994 08:49:37 UTC",
        "Sun, 6 Nov 1994 08:49:37 GMT", "Sun, 06 Foo 1994 08:49:37 GMT",
        "Sun, 31 Feb 1994 08:49:37 GMT", "Sun, 06 Nov 1994 25:49:37 GMT", "2026-11-22T18:32:44Z",
        "Sun Nov 6 08:49:37 1994", "Sunday, 06-Nov-1994 08:49:37 GMT", "Funday, 06-Nov-94 08:49:37 GMT",
        "Xyz, 06 Nov 1994 08:49:37 GMT"}) {
    INFO(bad);
    CHECK_FALSE(parse_http_date_lenient(bad).has_value());
  }
}
