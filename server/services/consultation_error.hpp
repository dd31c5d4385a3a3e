// Why a consultation request or a vote was refused: what the CLI says and what the inbox worker
// logs for a vote it drops.
#pragma once

#include "common/error_kind.hpp"

#include <boost/system/error_code.hpp>

#include <type_traits>

namespace civicpub::server::services {

enum class ConsultationError {
  empty_title = 1,      // invalid_input
  too_few_options,      // invalid_input: at least 2
  too_many_options,     // invalid_input
  bad_option,           // invalid_input: empty, too long or repeated
  closes_in_past,       // invalid_input
  bad_domain,           // invalid_input: an eligible domain that is no host name
  not_a_consultation,   // not_found: no local poll at that URL
  not_author,           // forbidden: only the consultation's author may answer it
  already_answered,     // conflict
  vote_closed,          // forbidden: the vote came after the deadline
  vote_unknown_option,  // invalid_input: the name is none of the options
  vote_not_verified,    // forbidden: not signed by its actor (a vote forged by another server)
  vote_origin,          // forbidden: the vote's id or author is not the sending actor's
  vote_by_author,       // forbidden: the consultation's author cannot vote on it
  not_a_poll,           // invalid_input: the post voted on has no poll
  one_choice_only,      // invalid_input: several options given for a single-choice poll
  already_voted,        // invalid_input: a local account votes again (Mastodon refuses it too)
};

const KindedCategory& consultation_category() noexcept;

inline boost::system::error_code make_error_code(ConsultationError e) noexcept {
  return {static_cast<int>(e), consultation_category()};
}

}  // namespace civicpub::server::services

template <>
struct boost::system::is_error_code_enum<civicpub::server::services::ConsultationError>
    : std::true_type {};
