#include "server/services/consultation_error.hpp"

#include <string>

namespace civicpub::server::services {
namespace {

class ConsultationCategory final : public KindedCategory {
 public:
  const char* name() const noexcept override { return "civicpub.consultation"; }
  std::string message(int value) const override {
    switch (static_cast<ConsultationError>(value)) {
      case ConsultationError::empty_title: return "the title is empty";
      case ConsultationError::too_few_options: return "a consultation needs at least 2 options";
      case ConsultationError::too_many_options: return "too many options";
      case ConsultationError::bad_option: return "an option is empty, too long or given twice";
      case ConsultationError::closes_in_past: return "the closing time is not in the future";
      case ConsultationError::bad_domain: return "an eligible domain is not a host name";
      case ConsultationError::not_a_consultation: return "no local consultation at that URL";
      case ConsultationError::not_author: return "only the consultation's author may answer it";
      case ConsultationError::already_answered: return "the consultation was answered already";
      case ConsultationError::vote_closed: return "vote after the consultation closed";
      case ConsultationError::vote_unknown_option: return "vote for an option that does not exist";
      case ConsultationError::vote_not_verified: return "vote not signed by its actor";
      case ConsultationError::vote_origin: return "vote not made by the sending actor";
      case ConsultationError::vote_by_author: return "vote by the consultation's author";
      case ConsultationError::not_a_poll: return "the post has no poll";
      case ConsultationError::one_choice_only: return "the poll takes one option only";
      case ConsultationError::already_voted: return "already voted on this poll";
    }
    return "unknown consultation error";
  }
  ErrorKind kind(int value) const noexcept override {
    switch (static_cast<ConsultationError>(value)) {
      case ConsultationError::not_a_consultation: return ErrorKind::not_found;
      case ConsultationError::already_answered: return ErrorKind::conflict;
      case ConsultationError::not_author:
      case ConsultationError::vote_closed:
      case ConsultationError::vote_not_verified:
      case ConsultationError::vote_origin:
      case ConsultationError::vote_by_author: return ErrorKind::forbidden;
      default: return ErrorKind::invalid_input;
    }
  }
};

}  // namespace

const KindedCategory& consultation_category() noexcept {
  static const ConsultationCategory category;
  return category;
}

}  // namespace civicpub::server::services
