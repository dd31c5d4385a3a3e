// The small vocabulary of error kinds shared by every layer (STYLE.md rule 4). Each layer keeps its
// own error enum and category; the category says which kind each value is. Exactly one place maps
// kinds to HTTP statuses (server/http/response.cpp) and one maps them to retry-or-drop
// (federation delivery).
#pragma once

#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

#include <string_view>

namespace civicpub {

template <class T>
using Result = boost::system::result<T>;

enum class ErrorKind {
  invalid_input,  // fix the input: malformed, fails validation
  not_found,      // nothing there (or the requester may not see it)
  conflict,       // already exists / state does not allow it
  unauthorized,   // credentials or signature missing or wrong
  forbidden,      // known requester, not allowed (blocked domain)
  gone,           // existed, deleted
  too_large,      // over a size limit
  unsupported,    // a valid request we do not handle (media type, algorithm)
  transient,      // retry later: busy, timeout, network trouble
  internal,       // a bug or a broken environment
};

std::string_view to_string(ErrorKind kind);

// Base for every civicpub error category: it knows the kind of each of its values.
class KindedCategory : public boost::system::error_category {
 public:
  virtual ErrorKind kind(int value) const noexcept = 0;
};

// The kind of any error code; codes from foreign categories are `transient` when they are
// network-ish (a system category) and `internal` otherwise.
ErrorKind kind_of(const boost::system::error_code& ec) noexcept;

}  // namespace civicpub
