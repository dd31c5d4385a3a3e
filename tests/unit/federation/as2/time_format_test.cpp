#include "federation/as2/error.hpp"
#include "federation/as2/time_format.hpp"

#include <catch2/catch.hpp>

namespace as2 = civicpub::federation::as2;

// 2026-11-22T18:32:44.123Z
constexpr as2::Millis kAt = 1795372364123;

TEST_CASE("ISO 8601 formatting always has milliseconds and Z") {
  CHECK(as2::format_iso8601_ms(kAt) == "2026-11-22T18:32:44.123Z");
  CHECK(as2::format_iso8601_ms(0) == "1970-01-01T00:00:00.000Z");
  CHECK(as2::format_iso8601_ms(-1) == "1969-12-31T23:59:59.999Z");
  CHECK(as2::parse_iso8601(as2::format_iso8601_ms(kAt)).value() == kAt);
}

TEST_CASE("ISO 8601 parsing: fraction digits 0 to 9, Z and offsets") {
  CHECK(as2::parse_iso8601("2026-11-22T18:32:44Z").value() == kAt - 123);
  CHECK(as2::parse_iso8601("2026-11-22T18:32:44.1Z").value() == kAt - 23);
  CHECK(as2::parse_iso8601("2026-11-22T18:32:44.12Z").value() == kAt - 3);
  CHECK(as2::parse_iso8601("2026-11-22T18:32:44.123456789Z").value() == kAt);
  CHECK(as2::parse_iso8601("2026-11-22T20:32:44.123+02:00").value() == kAt);
  CHECK(as2::parse_iso8601("2026-11-22T13:02:44.123-05:30").value() == kAt);
  CHECK(as2::parse_iso8601("2026-11-22T18:32:44.123+00:00").value() == kAt);
  CHECK(as2::parse_iso8601("2026-11-22T20:32:44.123+0200").value() == kAt);
  CHECK(as2::parse_iso8601("2026-11-22t18:32:44.123z").value() == kAt);
  CHECK(as2::parse_iso8601("2024-02-29T00:00:00Z").has_value());  // leap day
}

TEST_CASE("ISO 8601 parsing rejects malformed dates") {
  for (const char* bad :
       {"", "2026-11-22", "2026-11-22T18:32:44", "2026-11-22T18:32:44.Z",
        "2026-11-22T18:32:44.1234567890Z", "2026-13-01T00:00:00Z", "2025-02-29T00:00:00Z",
        "2026-11-22T24:00:00Z", "2026-11-22T18:60:00Z", "2026-11-22 18:32:44Z",
        "2026-11-22T18:32:44+25:00", "2026-11-22T18:32:44Zjunk", "26-11-22T18:32:44Z",
        "2026-11-22T18:32:44+2"}) {
    INFO(bad);
    auto r = as2::parse_iso8601(bad);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error() == as2::DocumentError::bad_date);
  }
}

