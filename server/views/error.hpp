// Errors of the read side: what a requester asked for is not there, or was there and is gone.
// "Not there" also covers what the requester may not see (STYLE.md rule 5: a followers-only
// post is simply not found for a stranger).
#pragma once

#include "common/error_kind.hpp"

#include <boost/system/error_code.hpp>

#include <type_traits>

namespace civicpub::server::views {

enum class ViewError {
  not_found = 1,  // no such account or post, or not visible to this requester
  gone,           // deleted (410)
  bad_parameter,  // a malformed query parameter (page=abc)
};

const civicpub::KindedCategory& view_error_category() noexcept;

inline boost::system::error_code make_error_code(ViewError e) noexcept {
  return {static_cast<int>(e), view_error_category()};
}

}  // namespace civicpub::server::views

template <>
struct boost::system::is_error_code_enum<civicpub::server::views::ViewError> : std::true_type {
};
