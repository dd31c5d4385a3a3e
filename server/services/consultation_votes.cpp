#include "server/services/consultation_votes.hpp"

#include "federation/as2/activities.hpp"
#include "federation/delivery/outbox.hpp"
#include "server/services/consultation_error.hpp"
#include "server/services/post_audience.hpp"
#include "server/views/note_view.hpp"
#include "server/views/post_urls.hpp"
#include "storage/actors.hpp"
#include "storage/polls.hpp"
#include "storage/posts.hpp"

#include <algorithm>
#include <cctype>

namespace civicpub::server::services {
namespace {

std::string bare_host(std::string_view host) {
  std::string out(host.substr(0, host.find(':')));
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool within(const std::string& host, const std::string& domain) {
  if (host == domain) return true;
  return host.size() > domain.size() && host.ends_with(domain) &&
         host[host.size() - domain.size() - 1] == '.';
}

}  // namespace

bool is_eligible(const std::vector<std::string>& voter_hosts,
                 const std::vector<std::string>& eligible) {
  if (eligible.empty()) return true;
  for (const auto& raw : voter_hosts) {
    const auto host = bare_host(raw);
    if (host.empty()) continue;
    for (const auto& domain : eligible) {
      if (within(host, bare_host(domain))) return true;
    }
  }
  return false;
}

Result<VoteOutcome> record_vote(storage::Connection& conn, const IncomingVote& vote,
                                storage::Millis now) {
  auto poll = storage::polls::find(conn, vote.poll_id);
  if (!poll) return poll.error();
  if (!*poll) return ConsultationError::not_a_consultation;
  if ((*poll)->state != "open" || now >= (*poll)->closes_at) return ConsultationError::vote_closed;
  auto post = storage::posts::find_by_id(conn, vote.poll_id);
  if (!post) return post.error();
  if (!*post || (*post)->deleted_at) return ConsultationError::not_a_consultation;
  if ((*post)->author_id == vote.voter_id) return ConsultationError::vote_by_author;
  auto options = storage::polls::options(conn, vote.poll_id);
  if (!options) return options.error();
  const auto found = std::find(options->begin(), options->end(), vote.option);
  if (found == options->end()) return ConsultationError::vote_unknown_option;
  const int position = static_cast<int>(found - options->begin());
  auto domains = storage::polls::eligible_domains(conn, vote.poll_id);
  if (!domains) return domains.error();

  VoteOutcome outcome;
  if (!(*poll)->multiple) {
    auto earlier = storage::polls::choices_of(conn, vote.poll_id, vote.voter_id);
    if (!earlier) return earlier.error();
    if (!earlier->empty() && (*earlier)[0] == position) return outcome;  // the same vote again
    if (!earlier->empty()) {
      if (auto removed = storage::polls::remove_votes_of(conn, vote.poll_id, vote.voter_id);
          !removed) {
        return removed.error();
      }
      outcome.replaced = true;
    }
  }
  storage::VoteRecord record;
  record.poll_id = vote.poll_id;
  record.voter_id = vote.voter_id;
  record.position = position;
  record.eligible = is_eligible(vote.voter_hosts, *domains);
  record.activity_uri = vote.activity_uri;
  record.voted_at = now;
  auto added = storage::polls::add_vote(conn, record);
  if (!added) return added.error();
  outcome.counted = *added;
  if (outcome.counted || outcome.replaced) {
    if (auto marked = storage::polls::mark_update_pending(conn, vote.poll_id); !marked) {
      return marked.error();
    }
  }
  return outcome;
}

Result<std::size_t> queue_question_update(storage::Connection& conn, std::int64_t poll_id,
                                          storage::Millis now) {
  auto post = storage::posts::find_by_id(conn, poll_id);
  if (!post) return post.error();
  if (!*post || (*post)->deleted_at) return ConsultationError::not_a_consultation;
  auto author = storage::actors::find_by_id(conn, (*post)->author_id);
  if (!author) return author.error();
  if (!*author) return ConsultationError::not_a_consultation;
  auto details = views::note_details(conn, poll_id);
  if (!details) return details.error();
  if (!details->poll) return ConsultationError::not_a_consultation;
  const auto view = views::note_view(**post, **author, *details);
  const auto activity_id = views::update_activity_id((*post)->ap_id, now);
  // No `updated` on the Question: Mastodon takes an Update without a newer `updated` as new
  // counts, not as an edit (ProcessStatusUpdateService#update_poll!).
  const auto body = federation::as2::render_update_note(activity_id, view);
  auto voters = storage::polls::voter_uris(conn, poll_id);
  if (!voters) return voters.error();
  auto recipients = addressed_ids(*details, (*post)->visibility);
  for (auto& voter : *voters) recipients.push_back(std::move(voter));
  auto inboxes = audience_inboxes(conn, (*author)->id, (*post)->visibility, recipients);
  if (!inboxes) return inboxes.error();
  auto queued = federation::enqueue_activity(conn, activity_id, (*author)->id, body, *inboxes, now);
  if (!queued) return queued.error();
  if (auto marked = storage::polls::mark_update_sent(conn, poll_id, now); !marked) {
    return marked.error();
  }
  return *queued;
}

Result<std::size_t> close_consultation(storage::Connection& conn, std::int64_t poll_id,
                                       storage::Millis closed_at, storage::Millis now) {
  auto closed = storage::polls::close(conn, poll_id, closed_at);
  if (!closed) return closed.error();
  if (!*closed) return std::size_t{0};
  return queue_question_update(conn, poll_id, now);
}

}  // namespace civicpub::server::services
