// HTTP dates (RFC 9110 section 5.6.7): the one writer, and the one parser in its two named forms.
// A signed Date must be unambiguous, so signature checks read the strict form; RFC 9110 asks every
// other recipient (Retry-After) to accept all three forms.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace civicpub::federation::http {

using SysSeconds = std::chrono::sys_seconds;

// IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT".
std::string format_http_date(std::chrono::system_clock::time_point when);

// IMF-fixdate only, the form every signer produces; the weekday must match the date.
std::optional<SysSeconds> parse_http_date_strict(std::string_view text);

// IMF-fixdate, RFC 850 ("Sunday, 06-Nov-94 08:49:37 GMT"; two-digit years 70-99 are 19xx, the
// rest 20xx) or asctime ("Sun Nov  6 08:49:37 1994"). The weekday name must be a weekday but is
// not checked against the date.
std::optional<SysSeconds> parse_http_date_lenient(std::string_view text);

}  // namespace civicpub::federation::http
