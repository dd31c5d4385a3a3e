#include "storage/polls.hpp"

#include "storage/detail/query.hpp"
#include "storage/statement.hpp"

namespace civicpub::storage::polls {
namespace {

constexpr const char* kInsert =
    "INSERT INTO polls (post_id, multiple, closes_at, state, closed_at, answer_uri, "
    "update_pending, last_update_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
constexpr const char* kInsertOption =
    "INSERT INTO poll_options (poll_id, position, name) VALUES (?1, ?2, ?3)";
constexpr const char* kInsertDomain =
    "INSERT INTO poll_eligible_domains (poll_id, domain) VALUES (?1, ?2) ON CONFLICT DO NOTHING";
#define CIVICPUB_POLL_COLUMNS \
  "post_id, multiple, closes_at, state, closed_at, answer_uri, update_pending, last_update_at"
constexpr const char* kFind = "SELECT " CIVICPUB_POLL_COLUMNS " FROM polls WHERE post_id = ?1";
constexpr const char* kOptions =
    "SELECT name FROM poll_options WHERE poll_id = ?1 ORDER BY position";
constexpr const char* kDomains =
    "SELECT domain FROM poll_eligible_domains WHERE poll_id = ?1 ORDER BY domain";
constexpr const char* kCounts = R"sql(
SELECT o.name,
  (SELECT COUNT(*) FROM poll_votes v
     WHERE v.poll_id = o.poll_id AND v.position = o.position AND v.eligible = 1),
  (SELECT COUNT(*) FROM poll_votes v
     WHERE v.poll_id = o.poll_id AND v.position = o.position AND v.eligible = 0)
FROM poll_options o WHERE o.poll_id = ?1 ORDER BY o.position
)sql";
constexpr const char* kVoters = R"sql(
SELECT COALESCE(SUM(e), 0), COUNT(*) - COALESCE(SUM(e), 0)
FROM (SELECT MAX(eligible) AS e FROM poll_votes WHERE poll_id = ?1 GROUP BY voter_id)
)sql";
constexpr const char* kAddVote =
    "INSERT INTO poll_votes (poll_id, voter_id, position, eligible, activity_uri, voted_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING";
constexpr const char* kRemoveVotesOf =
    "DELETE FROM poll_votes WHERE poll_id = ?1 AND voter_id = ?2";
constexpr const char* kChoicesOf =
    "SELECT position FROM poll_votes WHERE poll_id = ?1 AND voter_id = ?2 ORDER BY position";
constexpr const char* kVoterUris = R"sql(
SELECT a.uri FROM actors a
WHERE a.id IN (SELECT voter_id FROM poll_votes WHERE poll_id = ?1) ORDER BY a.uri
)sql";
constexpr const char* kMarkPending = "UPDATE polls SET update_pending = 1 WHERE post_id = ?1";
constexpr const char* kMarkSent =
    "UPDATE polls SET update_pending = 0, last_update_at = ?2 WHERE post_id = ?1";
constexpr const char* kClose =
    "UPDATE polls SET state = 'closed', closed_at = ?2 WHERE post_id = ?1 AND state = 'open'";
constexpr const char* kSetAnswer =
    "UPDATE polls SET state = 'answered', answer_uri = ?2 WHERE post_id = ?1";
constexpr const char* kDue = "SELECT " CIVICPUB_POLL_COLUMNS
                             " FROM polls WHERE state = 'open' AND (closes_at <= ?1 OR "
                             "(update_pending = 1 AND last_update_at <= ?2)) "
                             "ORDER BY closes_at LIMIT ?3";
constexpr const char* kAll = "SELECT " CIVICPUB_POLL_COLUMNS " FROM polls ORDER BY post_id DESC";
constexpr const char* kOfAuthor =
    "SELECT " CIVICPUB_POLL_COLUMNS " FROM posts p JOIN polls ON polls.post_id = p.id "
    "WHERE p.author_id = ?1 AND p.deleted_at IS NULL AND p.visibility = 'public' "
    "ORDER BY p.id DESC";
constexpr const char* kParticipating = R"sql(
SELECT a.domain FROM poll_votes v JOIN actors a ON a.id = v.voter_id WHERE v.poll_id = ?1
UNION
SELECT a.domain FROM posts p
  JOIN posts r ON r.thread_root = p.ap_id AND r.thread_root <> '' AND r.id <> p.id
    AND r.deleted_at IS NULL
  JOIN actors a ON a.id = r.author_id
WHERE p.id = ?1
ORDER BY 1
)sql";
constexpr const char* kRemoteParticipants = R"sql(
SELECT a.uri FROM poll_votes v JOIN actors a ON a.id = v.voter_id
WHERE v.poll_id = ?1 AND a.local = 0 AND a.deleted_at IS NULL
UNION
SELECT a.uri FROM posts p
  JOIN posts r ON r.thread_root = p.ap_id AND r.id <> p.id AND r.deleted_at IS NULL
  JOIN actors a ON a.id = r.author_id
WHERE p.id = ?1 AND a.local = 0 AND a.deleted_at IS NULL
ORDER BY 1
)sql";
constexpr const char* kBallots = R"sql(
SELECT a.uri, o.name, v.eligible, v.voted_at, v.activity_uri
FROM poll_votes v
  JOIN actors a ON a.id = v.voter_id
  JOIN poll_options o ON o.poll_id = v.poll_id AND o.position = v.position
WHERE v.poll_id = ?1 ORDER BY a.uri, v.position
)sql";

PollRecord read_poll(const Statement& s) {
  PollRecord p;
  p.post_id = s.column_int64(0);
  p.multiple = s.column_bool(1);
  p.closes_at = s.column_int64(2);
  p.state = s.column_text(3);
  p.closed_at = s.column_optional_int64(4);
  p.answer_uri = s.column_text(5);
  p.update_pending = s.column_bool(6);
  p.last_update_at = s.column_int64(7);
  return p;
}

Result<std::vector<std::string>> texts(Connection& conn, const char* sql, std::int64_t id) {
  auto s = Statement::prepare(conn, sql);
  if (!s) return s.error();
  s->bind(1, id);
  return detail::fetch_all(*s, [](const Statement& st) { return st.column_text(0); });
}

Result<void> run_one(Connection& conn, const char* sql, std::int64_t id) {
  auto s = Statement::prepare(conn, sql);
  if (!s) return s.error();
  s->bind(1, id);
  return s->run();
}

}  // namespace

Result<void> insert(Connection& conn, const PollRecord& p, const std::vector<std::string>& options,
                    const std::vector<std::string>& eligible_domains) {
  auto s = Statement::prepare(conn, kInsert);
  if (!s) return s.error();
  s->bind(1, p.post_id).bind(2, p.multiple).bind(3, p.closes_at).bind(4, p.state);
  s->bind(5, p.closed_at).bind(6, p.answer_uri).bind(7, p.update_pending).bind(8, p.last_update_at);
  if (auto r = s->run(); !r) return r;
  for (std::size_t i = 0; i < options.size(); ++i) {
    auto o = Statement::prepare(conn, kInsertOption);
    if (!o) return o.error();
    o->bind(1, p.post_id).bind(2, static_cast<std::int64_t>(i)).bind(3, options[i]);
    if (auto r = o->run(); !r) return r;
  }
  for (const auto& domain : eligible_domains) {
    auto d = Statement::prepare(conn, kInsertDomain);
    if (!d) return d.error();
    d->bind(1, p.post_id).bind(2, domain);
    if (auto r = d->run(); !r) return r;
  }
  return {};
}

Result<std::optional<PollRecord>> find(Connection& conn, std::int64_t post_id) {
  auto s = Statement::prepare(conn, kFind);
  if (!s) return s.error();
  s->bind(1, post_id);
  return detail::fetch_one(*s, read_poll);
}

Result<std::vector<std::string>> options(Connection& conn, std::int64_t post_id) {
  return texts(conn, kOptions, post_id);
}

Result<std::vector<std::string>> eligible_domains(Connection& conn, std::int64_t post_id) {
  return texts(conn, kDomains, post_id);
}

Result<std::vector<OptionCount>> counts(Connection& conn, std::int64_t post_id) {
  auto s = Statement::prepare(conn, kCounts);
  if (!s) return s.error();
  s->bind(1, post_id);
  return detail::fetch_all(*s, [](const Statement& st) {
    return OptionCount{st.column_text(0), st.column_int64(1), st.column_int64(2)};
  });
}

Result<Voters> voters(Connection& conn, std::int64_t post_id) {
  auto s = Statement::prepare(conn, kVoters);
  if (!s) return s.error();
  s->bind(1, post_id);
  auto row = detail::fetch_one(*s, [](const Statement& st) {
    return Voters{st.column_int64(0), st.column_int64(1)};
  });
  if (!row) return row.error();
  return row->value_or(Voters{});
}

Result<bool> add_vote(Connection& conn, const VoteRecord& v) {
  auto s = Statement::prepare(conn, kAddVote);
  if (!s) return detail::fail<bool>(s.error());
  s->bind(1, v.poll_id).bind(2, v.voter_id).bind(3, static_cast<std::int64_t>(v.position));
  s->bind(4, v.eligible).bind(5, v.activity_uri).bind(6, v.voted_at);
  if (auto run = s->run(); !run) return detail::fail<bool>(run.error());
  return conn.changes() > 0;
}

Result<std::int64_t> remove_votes_of(Connection& conn, std::int64_t post_id,
                                     std::int64_t voter_id) {
  auto s = Statement::prepare(conn, kRemoveVotesOf);
  if (!s) return s.error();
  s->bind(1, post_id).bind(2, voter_id);
  if (auto run = s->run(); !run) return run.error();
  return static_cast<std::int64_t>(conn.changes());
}

Result<std::vector<int>> choices_of(Connection& conn, std::int64_t post_id, std::int64_t voter_id) {
  auto s = Statement::prepare(conn, kChoicesOf);
  if (!s) return s.error();
  s->bind(1, post_id).bind(2, voter_id);
  return detail::fetch_all(
      *s, [](const Statement& st) { return static_cast<int>(st.column_int64(0)); });
}

Result<std::vector<std::string>> voter_uris(Connection& conn, std::int64_t post_id) {
  return texts(conn, kVoterUris, post_id);
}

Result<void> mark_update_pending(Connection& conn, std::int64_t post_id) {
  return run_one(conn, kMarkPending, post_id);
}

Result<void> mark_update_sent(Connection& conn, std::int64_t post_id, Millis now) {
  auto s = Statement::prepare(conn, kMarkSent);
  if (!s) return s.error();
  s->bind(1, post_id).bind(2, now);
  return s->run();
}

Result<bool> close(Connection& conn, std::int64_t post_id, Millis closed_at) {
  auto s = Statement::prepare(conn, kClose);
  if (!s) return detail::fail<bool>(s.error());
  s->bind(1, post_id).bind(2, closed_at);
  if (auto run = s->run(); !run) return detail::fail<bool>(run.error());
  return conn.changes() > 0;
}

Result<void> set_answer(Connection& conn, std::int64_t post_id, const std::string& answer_uri) {
  auto s = Statement::prepare(conn, kSetAnswer);
  if (!s) return s.error();
  s->bind(1, post_id).bind(2, answer_uri);
  return detail::run_expect_change(conn, *s);
}

Result<std::vector<PollRecord>> due(Connection& conn, Millis now, Millis min_gap, int limit) {
  auto s = Statement::prepare(conn, kDue);
  if (!s) return s.error();
  s->bind(1, now).bind(2, now - min_gap).bind(3, static_cast<std::int64_t>(limit));
  return detail::fetch_all(*s, read_poll);
}

Result<std::vector<PollRecord>> all(Connection& conn) {
  auto s = Statement::prepare(conn, kAll);
  if (!s) return s.error();
  return detail::fetch_all(*s, read_poll);
}

Result<std::vector<PollRecord>> of_author(Connection& conn, std::int64_t author_id) {
  auto s = Statement::prepare(conn, kOfAuthor);
  if (!s) return s.error();
  s->bind(1, author_id);
  return detail::fetch_all(*s, read_poll);
}

Result<std::vector<std::string>> remote_participants(Connection& conn, std::int64_t post_id) {
  return texts(conn, kRemoteParticipants, post_id);
}

Result<std::vector<std::string>> participating_domains(Connection& conn, std::int64_t post_id) {
  return texts(conn, kParticipating, post_id);
}

Result<std::vector<Ballot>> ballots(Connection& conn, std::int64_t post_id) {
  auto s = Statement::prepare(conn, kBallots);
  if (!s) return s.error();
  s->bind(1, post_id);
  return detail::fetch_all(*s, [](const Statement& st) {
    return Ballot{st.column_text(0), st.column_text(1), st.column_bool(2), st.column_int64(3),
                  st.column_text(4)};
  });
}

}  // namespace civicpub::storage::polls
