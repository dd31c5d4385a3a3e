// Consultations (issue 14): a town asks, anyone on any server votes and replies, the town answers
// officially. A consultation is a thread root like any post, published by PostService as a
// `Question` (PollSpec), so it is delivered, served and threaded like every other post; this
// service checks the request and adds the lifecycle: open -> closed (at the deadline, by
// ConsultationSchedule, or when answered early) -> answered (the official answer is a reply).
#pragma once

#include "server/services/post_service.hpp"

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>
#include <vector>

namespace civicpub::server::services {

// Mastodon accepts at most 4 options by default (configurable up to more); a consultation may
// offer more, as Mastodon displays any number it receives.
constexpr std::size_t kMaxConsultationOptions = 20;
constexpr std::size_t kMaxOptionLength = 200;

struct NewConsultation {
  std::string author;  // local username
  std::string title;
  std::string body;  // plain text, composed like any post (links, mentions, hashtags)
  std::vector<std::string> options;
  bool multiple = false;
  storage::Millis closes_at = 0;
  std::vector<std::string> eligible_domains;
  // A local group to post it in (`--group`): addressed to the group with its `audience`, and
  // announced to the members like any thread started in the group (the group owns its context).
  std::optional<std::string> group;
};

// The request checked and normalized (options trimmed, domains lowercased): ConsultationError
// (empty_title, too_few_options, too_many_options, bad_option, closes_in_past, bad_domain).
Result<PollSpec> check_consultation(const NewConsultation& request, storage::Millis now);

struct AnswerOutcome {
  PostOutcome answer;                  // the reply as published
  std::size_t closing_deliveries = 0;  // the final Update(Question) when it closed it early
};

class ConsultationService {
 public:
  ConsultationService(storage::Database& db, PostService& posts, federation::Clock clock)
      : db_(db), posts_(posts), clock_(std::move(clock)) {}

  // Publishes the consultation (a public Question) and returns the post as PostService did.
  boost::asio::awaitable<Result<PostOutcome>> create(NewConsultation request);

  // Publishes `text` as the official answer: a public reply by `author` (the consultation's
  // author only) to the consultation, which then is `answered`. It is delivered to the author's
  // followers and to every remote voter's and replier's inbox. An open consultation is closed
  // first, with its final Update(Question). Errors: ConsultationError (not_a_consultation,
  // not_author, already_answered), PostService's errors.
  boost::asio::awaitable<Result<AnswerOutcome>> answer(std::string url, std::string author,
                                                       std::string text);

 private:
  storage::Database& db_;
  PostService& posts_;
  federation::Clock clock_;
};

}  // namespace civicpub::server::services
