// Timestamps on the wire. AS2 dates are ISO 8601 / RFC 3339 in UTC with milliseconds (toot
// crashes on `created_at` without a fraction, INTEROP.md section 7); peers send anything from no
// fraction to nine digits (Fedify) and numeric offsets. HTTP `Date` headers are IMF-fixdate, and
// RFC 9110 section 5.6.7 obliges recipients to read the obsolete RFC 850 and asctime forms too.
#pragma once

#include "storage/error_kind.hpp"
#include "storage/records.hpp"

#include <string>
#include <string_view>

namespace civicpub::federation::as2 {

using storage::Millis;

// "2026-11-22T18:32:44.123Z"
std::string format_iso8601_ms(Millis at);

// Reads `YYYY-MM-DDTHH:MM:SS[.fraction]` followed by `Z` or a `+hh:mm` / `-hh:mm` offset (also
// `+hhmm`). The fraction has 1 to 9 digits and is truncated to milliseconds. Errc::bad_date
// otherwise.
Result<Millis> parse_iso8601(std::string_view text);

// IMF-fixdate, RFC 850 ("Sunday, 06-Nov-94 08:49:37 GMT") or asctime ("Sun Nov  6 08:49:37
// 1994"), as RFC 9110 asks of every recipient of an HTTP-date (Retry-After). Errc::bad_date
// otherwise. Writing HTTP dates, and the strict IMF-fixdate reading a signed Date needs, is
// federation/signatures/http_date.hpp.
Result<Millis> parse_http_date(std::string_view text);

}  // namespace civicpub::federation::as2
