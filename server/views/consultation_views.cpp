#include "server/views/consultation_views.hpp"

#include "federation/as2/json.hpp"
#include "federation/as2/time_format.hpp"
#include "storage/actors.hpp"
#include "storage/posts.hpp"

namespace civicpub::server::views {
namespace {

// RFC 4180: quote a field that holds a comma, a quote or a line break; double inner quotes. A
// field starting with = + - @ gets a leading quote mark so spreadsheets do not run it as a
// formula (CSV injection): option texts come from the town, but stay careful.
std::string csv_field(std::string_view text) {
  std::string value(text);
  if (!value.empty() &&
      (value[0] == '=' || value[0] == '+' || value[0] == '-' || value[0] == '@')) {
    value.insert(value.begin(), '\'');
  }
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string csv_counts(const ConsultationSummary& c) {
  std::string out = "option,residents,others,total\r\n";
  for (const auto& count : c.counts) {
    out += csv_field(count.name) + ',' + std::to_string(count.residents) + ',' +
           std::to_string(count.others) + ',' + std::to_string(count.total()) + "\r\n";
  }
  return out;
}

std::string handle_of(const storage::post_provenance::PublicReply& r) {
  return r.author_username + "@" + r.author_domain;
}

}  // namespace

Result<std::optional<ConsultationSummary>> with_replies(
    storage::Connection& conn, Result<std::optional<ConsultationSummary>> found) {
  if (!found || !*found) return found;
  auto replies = storage::post_provenance::public_replies(conn, (*found)->url, kMaxExportReplies);
  if (!replies) return replies.error();
  (*found)->replies = std::move(*replies);
  return found;
}

Result<std::optional<ConsultationSummary>> consultation_of(storage::Connection& conn,
                                                           std::int64_t post_id) {
  using Found = std::optional<ConsultationSummary>;
  auto poll = storage::polls::find(conn, post_id);
  if (!poll) return poll.error();
  if (!*poll) return Found();
  auto post = storage::posts::find_by_id(conn, post_id);
  if (!post) return post.error();
  if (!*post || (*post)->deleted_at) return Found();
  auto author = storage::actors::find_by_id(conn, (*post)->author_id);
  if (!author) return author.error();
  ConsultationSummary c;
  c.post_id = post_id;
  c.url = (*post)->ap_id;
  c.title = (*post)->name;
  c.body_html = (*post)->content_html;
  if (*author) {
    c.author_uri = (*author)->uri;
    c.author_username = (*author)->username;
  }
  c.state = (*poll)->state;
  c.multiple = (*poll)->multiple;
  c.published = (*post)->published;
  c.closes_at = (*poll)->closes_at;
  c.closed_at = (*poll)->closed_at;
  c.answer_uri = (*poll)->answer_uri;
  auto domains = storage::polls::eligible_domains(conn, post_id);
  if (!domains) return domains.error();
  c.eligible_domains = std::move(*domains);
  auto counts = storage::polls::counts(conn, post_id);
  if (!counts) return counts.error();
  c.counts = std::move(*counts);
  auto voters = storage::polls::voters(conn, post_id);
  if (!voters) return voters.error();
  c.voters = *voters;
  auto servers = storage::polls::participating_domains(conn, post_id);
  if (!servers) return servers.error();
  c.participating_domains = std::move(*servers);
  return Found(std::move(c));
}

Result<std::optional<ConsultationSummary>> find_consultation(storage::Connection& conn,
                                                             const std::string& url) {
  auto post = storage::posts::find_by_ap_id(conn, url);
  if (!post) return post.error();
  if (!*post || !(*post)->local) return std::optional<ConsultationSummary>();
  return consultation_of(conn, (*post)->id);
}

Result<std::vector<ConsultationSummary>> list_consultations(storage::Connection& conn) {
  auto polls = storage::polls::all(conn);
  if (!polls) return polls.error();
  std::vector<ConsultationSummary> out;
  for (const auto& poll : *polls) {
    auto one = consultation_of(conn, poll.post_id);
    if (!one) return one.error();
    if (*one) out.push_back(std::move(**one));
  }
  return out;
}

Result<std::vector<ConsultationEntry>> consultations_by(storage::Connection& conn,
                                                        std::int64_t author_id) {
  auto polls = storage::polls::of_author(conn, author_id);
  if (!polls) return polls.error();
  std::vector<ConsultationEntry> out;
  for (const auto& poll : *polls) {
    auto post = storage::posts::find_by_id(conn, poll.post_id);
    if (!post) return post.error();
    if (!*post || (*post)->author_id != author_id || (*post)->deleted_at ||
        (*post)->visibility != storage::Visibility::public_) {
      continue;
    }
    auto summary = consultation_of(conn, poll.post_id);
    if (!summary) return summary.error();
    if (*summary) out.push_back({std::move(**post), std::move(**summary)});
  }
  return out;
}

std::string export_json(const ConsultationSummary& c) {
  federation::as2::JsonWriter out;
  out.start_object();
  out.field("consultation", c.url);
  out.field("title", c.title);
  out.field("state", c.state);
  out.field("multiple", c.multiple);
  out.field("closes", federation::as2::format_iso8601_ms(c.closes_at));
  if (c.closed_at) out.field("closed", federation::as2::format_iso8601_ms(*c.closed_at));
  out.field_if("answer", c.answer_uri);
  out.string_array("eligible_domains", c.eligible_domains);
  out.key("voters");
  out.start_object();
  out.field("residents", c.voters.residents);
  out.field("others", c.voters.others);
  out.field("total", c.voters.total());
  out.end_object();
  out.key("options");
  out.start_array();
  for (const auto& count : c.counts) {
    out.start_object();
    out.field("option", count.name);
    out.field("residents", count.residents);
    out.field("others", count.others);
    out.field("total", count.total());
    out.end_object();
  }
  out.end_array();
  out.string_array("participating_servers", c.participating_domains);
  out.key("replies");
  out.start_array();
  for (const auto& r : c.replies) {
    out.start_object();
    out.field("id", r.ap_id);
    out.field("author", handle_of(r));
    out.field("author_id", r.author_uri);
    out.field("server", r.author_domain);
    out.field("published", federation::as2::format_iso8601_ms(r.published));
    out.field("activity", r.activity_id);
    out.field("verified_by", r.verified_by);
    out.end_object();
  }
  out.end_array();
  out.end_object();
  return out.str();
}

std::string export_csv(const ConsultationSummary& c) {
  std::string out = csv_counts(c);
  out += "\r\nreply,author,server,published,activity,verified_by\r\n";
  for (const auto& r : c.replies) {
    out += csv_field(r.ap_id) + ',' + csv_field(handle_of(r)) + ',' + csv_field(r.author_domain) +
           ',' + federation::as2::format_iso8601_ms(r.published) + ',' +
           csv_field(r.activity_id) + ',' + r.verified_by + "\r\n";
  }
  return out;
}

std::string export_csv_with_voters(const ConsultationSummary& c,
                                   const std::vector<storage::polls::Ballot>& ballots) {
  std::string out = csv_counts(c);
  out += "\r\nvoter,option,eligible,voted_at,activity\r\n";
  for (const auto& b : ballots) {
    out += csv_field(b.voter_uri) + ',' + csv_field(b.option) + ',' + (b.eligible ? "yes" : "no") +
           ',' + federation::as2::format_iso8601_ms(b.voted_at) + ',' + csv_field(b.activity_uri) +
           "\r\n";
  }
  return out;
}

}  // namespace civicpub::server::views
