#include "federation/federation_error.hpp"

#include <string>

namespace civicpub::federation {
namespace {

class FederationCategory final : public KindedCategory {
 public:
  const char* name() const noexcept override { return "civicpub.federation"; }

  std::string message(int value) const override {
    switch (static_cast<FederationError>(value)) {
      case FederationError::actor_not_found: return "actor not found";
      case FederationError::actor_gone: return "actor gone";
      case FederationError::fetch_failed: return "could not fetch the document";
      case FederationError::not_an_actor: return "not a usable actor document";
      case FederationError::id_mismatch: return "document id differs from its URL";
      case FederationError::origin_mismatch: return "document refers to another origin";
      case FederationError::key_not_found: return "actor has no such key";
      case FederationError::refetch_rate_limited: return "refetch rate-limited";
      case FederationError::queue_full: return "too many activities from this sender waiting";
      case FederationError::unknown_user: return "no such account";
      case FederationError::key_unavailable: return "could not obtain the signing key";
      case FederationError::signer_not_actor: return "signer is not the activity's actor";
      case FederationError::blocked_domain: return "domain blocked";
      case FederationError::object_not_found: return "object not found";
      case FederationError::object_gone: return "object deleted";
      case FederationError::not_author: return "only the author may change a post";
      case FederationError::not_in_thread: return "not part of the thread";
      case FederationError::foreign_activity_id:
        return "activity id is not on its actor's origin";
      case FederationError::insecure_redirect: return "redirect from https to http";
      case FederationError::stale_proof: return "integrity proof too old or ahead of time";
      case FederationError::actor_suspended: return "actor suspended";
      case FederationError::key_fetch_busy:
        return "the signing key cannot be fetched right now; retry later";
    }
    return "unknown federation error";
  }

  ErrorKind kind(int value) const noexcept override {
    switch (static_cast<FederationError>(value)) {
      case FederationError::actor_not_found: return ErrorKind::not_found;
      case FederationError::actor_gone: return ErrorKind::gone;
      case FederationError::fetch_failed: return ErrorKind::transient;
      case FederationError::not_an_actor:
      case FederationError::id_mismatch:
      case FederationError::origin_mismatch:
      case FederationError::key_not_found: return ErrorKind::invalid_input;
      case FederationError::refetch_rate_limited:
      case FederationError::queue_full:
      case FederationError::key_fetch_busy: return ErrorKind::transient;
      case FederationError::unknown_user: return ErrorKind::not_found;
      case FederationError::key_unavailable:
      case FederationError::signer_not_actor: return ErrorKind::unauthorized;
      case FederationError::blocked_domain: return ErrorKind::forbidden;
      case FederationError::object_not_found: return ErrorKind::not_found;
      case FederationError::object_gone: return ErrorKind::gone;
      case FederationError::not_author: return ErrorKind::forbidden;
      case FederationError::not_in_thread: return ErrorKind::invalid_input;
      case FederationError::foreign_activity_id: return ErrorKind::invalid_input;
      case FederationError::insecure_redirect: return ErrorKind::invalid_input;
      case FederationError::stale_proof: return ErrorKind::invalid_input;
      case FederationError::actor_suspended: return ErrorKind::forbidden;
    }
    return ErrorKind::internal;
  }
};

}  // namespace

const KindedCategory& federation_category() noexcept {
  static const FederationCategory category;
  return category;
}

}  // namespace civicpub::federation
