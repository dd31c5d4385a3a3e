#include "server/services/consultation_service.hpp"

#include "federation/storage_async.hpp"
#include "server/services/consultation_error.hpp"
#include "server/services/consultation_votes.hpp"
#include "storage/actors.hpp"
#include "storage/polls.hpp"
#include "storage/posts.hpp"

#include <algorithm>
#include <cctype>

namespace civicpub::server::services {
namespace {

std::string trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(first, last - first + 1));
}

bool is_host_name(std::string_view host) {
  if (host.empty() || host.size() > 253 || host.front() == '.' || host.back() == '.') return false;
  return std::all_of(host.begin(), host.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-';
  });
}

struct Target {
  storage::PostRecord post;
  storage::PollRecord poll;
};

Result<Target> find_target(storage::Connection& c, const std::string& url) {
  auto post = storage::posts::find_by_ap_id(c, url);
  if (!post) return post.error();
  if (!*post || !(*post)->local || (*post)->deleted_at) {
    return ConsultationError::not_a_consultation;
  }
  auto poll = storage::polls::find(c, (*post)->id);
  if (!poll) return poll.error();
  if (!*poll) return ConsultationError::not_a_consultation;
  return Target{std::move(**post), std::move(**poll)};
}

auto answered_job(std::int64_t poll_id, std::string answer_uri, bool close_first,
                  storage::Millis now) {
  return [poll_id, answer_uri = std::move(answer_uri), close_first,
          now](storage::Connection& c) -> Result<std::size_t> {
    std::size_t queued = 0;
    if (close_first) {
      auto closed = close_consultation(c, poll_id, now, now);
      if (!closed) return closed.error();
      queued = *closed;
    }
    if (auto set = storage::polls::set_answer(c, poll_id, answer_uri); !set) return set.error();
    return queued;
  };
}

}  // namespace

Result<PollSpec> check_consultation(const NewConsultation& request, storage::Millis now) {
  if (trimmed(request.title).empty()) return ConsultationError::empty_title;
  if (request.options.size() < 2) return ConsultationError::too_few_options;
  if (request.options.size() > kMaxConsultationOptions) return ConsultationError::too_many_options;
  if (request.closes_at <= now) return ConsultationError::closes_in_past;
  PollSpec spec;
  spec.title = trimmed(request.title);
  spec.multiple = request.multiple;
  spec.closes_at = request.closes_at;
  for (const auto& raw : request.options) {
    auto option = trimmed(raw);
    if (option.empty() || option.size() > kMaxOptionLength ||
        std::find(spec.options.begin(), spec.options.end(), option) != spec.options.end()) {
      return ConsultationError::bad_option;
    }
    spec.options.push_back(std::move(option));
  }
  for (const auto& raw : request.eligible_domains) {
    auto domain = trimmed(raw);
    std::transform(domain.begin(), domain.end(), domain.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (!is_host_name(domain)) return ConsultationError::bad_domain;
    spec.eligible_domains.push_back(std::move(domain));
  }
  return spec;
}

boost::asio::awaitable<Result<PostOutcome>> ConsultationService::create(NewConsultation request) {
  auto spec = check_consultation(request, clock_());
  if (!spec) co_return spec.error();
  PublishRequest publish;
  publish.author = std::move(request.author);
  publish.text = std::move(request.body);
  publish.visibility = storage::Visibility::public_;
  publish.group = std::move(request.group);
  auto published = co_await posts_.publish_question(std::move(publish), std::move(*spec));
  co_return published;
}

boost::asio::awaitable<Result<AnswerOutcome>> ConsultationService::answer(std::string url,
                                                                          std::string author,
                                                                          std::string text) {
  auto target = db_.read([&](storage::Connection& c) { return find_target(c, url); });
  if (!target) co_return target.error();
  if (target->poll.state == "answered") co_return ConsultationError::already_answered;
  auto author_record = db_.read([&](storage::Connection& c) {
    return storage::actors::find_by_id(c, target->post.author_id);
  });
  if (!author_record) co_return author_record.error();
  if (!*author_record || (*author_record)->username != author) {
    co_return ConsultationError::not_author;
  }
  // Every participant's server receives the answer: each voter's and replier's inbox (shared
  // first, once per inbox, with the followers'), though the answer addresses none of them.
  auto participants = db_.read([&](storage::Connection& c) {
    return storage::polls::remote_participants(c, target->post.id);
  });
  if (!participants) co_return participants.error();
  PublishRequest reply;
  reply.also_deliver_to = std::move(*participants);
  reply.author = std::move(author);
  reply.text = std::move(text);
  reply.visibility = storage::Visibility::public_;
  reply.in_reply_to = target->post.ap_id;
  auto published = co_await posts_.publish(std::move(reply));
  if (!published) co_return published.error();
  AnswerOutcome outcome;
  outcome.answer = std::move(*published);
  const bool close_first = target->poll.state == "open";
  auto marked = co_await federation::write(
      db_, answered_job(target->post.id, outcome.answer.post.ap_id, close_first, clock_()));
  if (!marked) co_return marked.error();
  outcome.closing_deliveries = *marked;
  co_return outcome;
}

}  // namespace civicpub::server::services
