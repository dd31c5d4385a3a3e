// Errors of the ActivityStreams vocabulary layer: what is wrong with a document or a parameter we
// were handed. All of them are the sender's fault (invalid_input) except size limits (too_large).
#pragma once

#include "common/error_kind.hpp"

#include <boost/system/error_code.hpp>

#include <type_traits>

namespace civicpub::federation::as2 {

enum class DocumentError {
  malformed_json = 1,  // not JSON, bad UTF-8, trailing garbage
  too_large,           // body over ParseLimits::max_bytes
  too_deep,            // nesting over ParseLimits::max_depth
  array_too_long,      // an array over ParseLimits::max_array
  not_an_object,       // the document (or a required member) is not a JSON object
  missing_id,          // an activity without a usable `id`
  missing_type,        // an activity without a usable `type`
  missing_actor,       // an activity without a usable `actor`
  bad_resource,        // a WebFinger `resource` we cannot read
  bad_date,            // an ISO 8601 or HTTP date we cannot read
  too_many_members,    // an object over ParseLimits::max_members
};

const KindedCategory& as2_category() noexcept;

inline boost::system::error_code make_error_code(DocumentError e) noexcept {
  return {static_cast<int>(e), as2_category()};
}

}  // namespace civicpub::federation::as2

template <>
struct boost::system::is_error_code_enum<civicpub::federation::as2::DocumentError> : std::true_type {};
