// RFC 9110's optional whitespace (spaces and tabs) around header values and list members.
#pragma once

#include <string_view>

namespace civicpub::federation::signatures {

// `text` without leading and trailing spaces and tabs.
inline std::string_view trim_ows(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace civicpub::federation::signatures
