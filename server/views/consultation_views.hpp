// Consultations as the CLI, the pages and the open-data export see them: the question, where it
// stands, counts per option split by eligibility, and the servers that took part. Counts only:
// who voted what is read by ballots() for the admin's audit export and nowhere else.
#pragma once

#include "storage/connection.hpp"
#include "storage/polls.hpp"
#include "storage/post_provenance.hpp"
#include "storage/records.hpp"

#include <optional>
#include <string>
#include <vector>

namespace civicpub::server::views {

struct ConsultationSummary {
  std::int64_t post_id = 0;
  std::string url;  // the Question's id
  std::string title;
  std::string body_html;
  std::string author_uri;
  std::string author_username;
  std::string state;  // open, closed, answered
  bool multiple = false;
  storage::Millis published = 0;
  storage::Millis closes_at = 0;
  std::optional<storage::Millis> closed_at;
  std::string answer_uri;
  std::vector<std::string> eligible_domains;  // empty: everyone counts as a resident
  std::vector<storage::OptionCount> counts;
  storage::polls::Voters voters;
  std::vector<std::string> participating_domains;
  // The public replies with how each was verified: filled by with_replies, for the exports only.
  std::vector<storage::post_provenance::PublicReply> replies;
};

// At most this many replies in an export (oldest first).
constexpr int kMaxExportReplies = 10000;

// `found` (find_consultation, consultation_of) with `replies` filled: every public reply in the
// consultation's thread, the answer included (the exports).
Result<std::optional<ConsultationSummary>> with_replies(
    storage::Connection& conn, Result<std::optional<ConsultationSummary>> found);

// The consultation whose Question has id `url`; unset when it is none of ours.
Result<std::optional<ConsultationSummary>> find_consultation(storage::Connection& conn,
                                                             const std::string& url);
// The consultation of post `post_id`; unset when the post has no poll.
Result<std::optional<ConsultationSummary>> consultation_of(storage::Connection& conn,
                                                           std::int64_t post_id);
// Every consultation not deleted, newest first.
Result<std::vector<ConsultationSummary>> list_consultations(storage::Connection& conn);

// The consultations of the local account `author_id`, newest first, with their posts (for the
// account's list page and its Atom feed). Public consultations only.
struct ConsultationEntry {
  storage::PostRecord post;
  ConsultationSummary summary;
};
Result<std::vector<ConsultationEntry>> consultations_by(storage::Connection& conn,
                                                        std::int64_t author_id);

// The public open-data export: counts per option and per eligibility, no voters; then every
// public reply (with_replies) with its author's handle and server, time, activity id and how it
// was verified: signature, proof, origin (fetched from the author's server), local.
std::string export_json(const ConsultationSummary& c);
std::string export_csv(const ConsultationSummary& c);
// The admin's audit export (`civicpub consultation export --with-voters`): the counts' rows and
// then one row per vote.
std::string export_csv_with_voters(const ConsultationSummary& c,
                                   const std::vector<storage::polls::Ballot>& ballots);

}  // namespace civicpub::server::views
