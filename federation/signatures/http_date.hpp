// IMF-fixdate (RFC 9110 section 5.6.7), the only Date form signers produce in practice:
// "Sun, 06 Nov 1994 08:49:37 GMT".
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace civicpub::federation::signatures {

using SysSeconds = std::chrono::sys_seconds;

std::string format_http_date(std::chrono::system_clock::time_point when);

// Strict IMF-fixdate; the obsolete RFC 850 and asctime forms are refused (no peer sends them and
// a signed Date must be unambiguous). The weekday is checked against the date.
std::optional<SysSeconds> parse_http_date(std::string_view text);

}  // namespace civicpub::federation::signatures
