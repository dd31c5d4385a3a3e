// Errors of inbound federation: resolving remote actors and keys, and accepting activities at the
// inbox. The kind of each value decides the HTTP answer (server/http/response.cpp) and whether a
// worker retries; the message is the short reason a peer may see (details go to the log).
#pragma once

#include "common/error_kind.hpp"

#include <boost/system/error_code.hpp>

#include <type_traits>

namespace civicpub::federation {

enum class FederationError {
  // ActorResolver
  actor_not_found = 1,   // the remote answered 404 (not_found)
  actor_gone,            // the remote answered 410, or we know it deleted (gone)
  fetch_failed,          // network trouble or an unexpected status (transient)
  not_an_actor,          // the document is no actor we can use: no inbox, no key (invalid_input)
  id_mismatch,           // the document's id is not the URL we asked for (invalid_input)
  origin_mismatch,       // inbox, key or owner on another host than the id (invalid_input)
  key_not_found,         // the actor has no key with the requested id (invalid_input)
  refetch_rate_limited,  // a forced refetch of this actor happened too recently (transient)
  // Inbox
  unknown_user,      // a personal inbox of an account we do not have (not_found)
  key_unavailable,   // the signing key could not be obtained (unauthorized)
  signer_not_actor,  // the key's owner is not the activity's actor (unauthorized)
  blocked_domain,    // the sender's domain is blocked here (forbidden)
  // RemotePosts and the post handlers
  object_not_found,  // the remote answered 404 for an object (not_found)
  object_gone,       // the object was deleted: a 410, or a tombstone we keep (gone)
  not_author,        // an Update or Delete of a post by someone other than its author (forbidden)
  not_in_thread,     // a backfilled post that is not part of the thread read (invalid_input)
  // Inbox, added by issue 11
  foreign_activity_id,  // the activity id is not on its actor's origin (invalid_input)
  insecure_redirect,    // a signed fetch was redirected from https to http (invalid_input)
  stale_proof,          // an integrity proof created too long ago or ahead (invalid_input)
  // Inbox queue
  queue_full,  // the actor or its host has too many unprocessed items queued (transient; 429)
  key_fetch_busy,  // the signer's host has its share of our fetches in flight (transient; 503)
  // Instance moderation (issue 12)
  actor_suspended,  // the actor is suspended here (`civicpub actor suspend`) (forbidden)
};

const KindedCategory& federation_category() noexcept;

inline boost::system::error_code make_error_code(FederationError e) noexcept {
  return {static_cast<int>(e), federation_category()};
}

}  // namespace civicpub::federation

template <>
struct boost::system::is_error_code_enum<civicpub::federation::FederationError> : std::true_type {};
