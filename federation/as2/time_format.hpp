// Timestamps on the wire. AS2 dates are ISO 8601 / RFC 3339 in UTC with milliseconds (toot
// crashes on `created_at` without a fraction, INTEROP.md section 7); peers send anything from no
// fraction to nine digits (Fedify) and numeric offsets. HTTP `Date` headers are IMF-fixdate, and
// RFC 9110 section 5.6.7 obliges recipients to read the obsolete RFC 850 and asctime forms too.
#pragma once

#include "common/error_kind.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace civicpub::federation::as2 {

// Milliseconds since the Unix epoch: the same integer storage keeps times in.
using Millis = std::int64_t;

// "2026-11-22T18:32:44.123Z"
std::string format_iso8601_ms(Millis at);

// Reads `YYYY-MM-DDTHH:MM:SS[.fraction]` followed by `Z` or a `+hh:mm` / `-hh:mm` offset (also
// `+hhmm`). The fraction has 1 to 9 digits and is truncated to milliseconds. DocumentError::bad_date
// otherwise.
Result<Millis> parse_iso8601(std::string_view text);

}  // namespace civicpub::federation::as2
