// The HTML sanitizer and the plain-text rendering on untrusted HTML. Run with -rss_limit_mb and
// -timeout (scripts/fuzz): a parse that builds a tree far larger than its input (issue 11, item
// 1) is then a finding.
#include "federation/text/sanitizer.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace text = civicpub::federation::text;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::string clean = text::sanitize_html(input);
  // Sanitized output parses back to the same tree: sanitizing it again changes nothing, unless
  // the second pass refuses it (the parser's repairs can nest formatting elements deeper than
  // the input did, past HtmlLimits::max_open_formatting).
  if (clean.size() < 4096) {
    const auto again = text::sanitize_html_measured(clean);
    if (!again.refused && again.html != clean) __builtin_trap();
  }
  (void)text::html_to_plain_text(input);
  return 0;
}
