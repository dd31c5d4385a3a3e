#include "server/services/service_error.hpp"

#include <string>

namespace civicpub::server::services {

namespace {

class ServiceCategory final : public KindedCategory {
 public:
  const char* name() const noexcept override { return "civicpub.service"; }
  std::string message(int value) const override {
    switch (static_cast<ServiceError>(value)) {
      case ServiceError::unknown_account: return "no such local account";
      case ServiceError::account_deleted: return "the account was deleted";
      case ServiceError::unknown_post: return "no such post";
      case ServiceError::post_not_local: return "the post belongs to another server";
      case ServiceError::post_deleted: return "the post was deleted";
      case ServiceError::not_author: return "only the author may change the post";
      case ServiceError::empty_text: return "the text is empty";
      case ServiceError::follow_self: return "an account cannot follow itself";
      case ServiceError::not_following: return "the account does not follow that actor";
      case ServiceError::parent_deleted: return "the post replied to was deleted";
      case ServiceError::unknown_group: return "no such local group";
      case ServiceError::unknown_moderator: return "no such account to make moderator";
      case ServiceError::not_a_member: return "only members may post in this group";
      case ServiceError::moderators_only: return "only moderators start threads in this group";
      case ServiceError::blocked_from_group: return "the author is blocked from this group";
      case ServiceError::thread_locked: return "the thread is locked";
      case ServiceError::not_in_group: return "the group did not announce that post";
      case ServiceError::not_a_thread: return "the post is not a thread's top post";
      case ServiceError::unknown_actor: return "no such actor known here";
    }
    return "unknown service error";
  }
  ErrorKind kind(int value) const noexcept override {
    switch (static_cast<ServiceError>(value)) {
      case ServiceError::unknown_account:
      case ServiceError::unknown_group:
      case ServiceError::unknown_post:
      case ServiceError::not_in_group:
      case ServiceError::unknown_actor:
      case ServiceError::not_following: return ErrorKind::not_found;
      case ServiceError::account_deleted:
      case ServiceError::post_deleted:
      case ServiceError::parent_deleted: return ErrorKind::gone;
      case ServiceError::post_not_local:
      case ServiceError::not_author:
      case ServiceError::not_a_member:
      case ServiceError::blocked_from_group:
      case ServiceError::thread_locked:
      case ServiceError::moderators_only: return ErrorKind::forbidden;
      case ServiceError::empty_text:
      case ServiceError::unknown_moderator:
      case ServiceError::not_a_thread:
      case ServiceError::follow_self: return ErrorKind::invalid_input;
    }
    return ErrorKind::internal;
  }
};

}  // namespace

const KindedCategory& service_category() noexcept {
  static const ServiceCategory category;
  return category;
}

}  // namespace civicpub::server::services
