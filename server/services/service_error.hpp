// Errors of the account-facing services (following, posting, profile edits): what the CLI and,
// later, the client API tell the user. Storage, WebFinger and HTTP errors pass through unchanged.
#pragma once

#include "common/error_kind.hpp"

#include <boost/system/error_code.hpp>

#include <type_traits>

namespace civicpub::server::services {

enum class ServiceError {
  unknown_account = 1,  // no local account with that username (not_found)
  account_deleted,      // the local account was deleted (gone)
  unknown_post,         // no post with that id (not_found)
  post_not_local,       // the post belongs to another server (forbidden)
  post_deleted,         // the post was already deleted (gone)
  not_author,           // only the author may edit or delete a post (forbidden)
  empty_text,           // nothing to publish (invalid_input)
  follow_self,          // an account cannot follow itself (invalid_input)
  not_following,        // unfollow without a follow (not_found)
  parent_deleted,       // a reply to a post that was deleted (gone)
  unknown_group,        // no local group with that name (not_found)
  unknown_moderator,    // a moderator that is neither a local account nor a stored actor
  not_a_member,         // posting to a members-only group without being a member (forbidden)
  moderators_only,      // a new thread in a group where only moderators start threads
  blocked_from_group,   // the author is blocked from the group (forbidden)
  thread_locked,        // a reply in a group thread a moderator locked (forbidden)
  not_in_group,         // moderation of a post the group did not announce (not_found)
  not_a_thread,         // lock or feature of a post that is no thread's top post (invalid_input)
  unknown_actor,        // block of an actor that is not stored here (not_found)
};

const KindedCategory& service_category() noexcept;

inline boost::system::error_code make_error_code(ServiceError e) noexcept {
  return {static_cast<int>(e), service_category()};
}

}  // namespace civicpub::server::services

template <>
struct boost::system::is_error_code_enum<civicpub::server::services::ServiceError>
    : std::true_type {};
