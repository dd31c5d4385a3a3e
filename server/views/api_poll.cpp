#include "server/views/api_poll.hpp"

#include "federation/as2/reader.hpp"
#include "federation/as2/time_format.hpp"
#include "federation/as2/vote.hpp"
#include "server/views/api_reads.hpp"
#include "server/views/error.hpp"
#include "storage/polls.hpp"
#include "storage/remote_poll_votes.hpp"

namespace civicpub::server::views {
namespace {

using federation::as2::JsonWriter;

Result<std::optional<PollEntity>> local_poll(storage::Connection& conn,
                                             const storage::PostRecord& post,
                                             const ApiView& view) {
  auto poll = storage::polls::find(conn, post.id);
  if (!poll) return poll.error();
  if (!*poll) return std::optional<PollEntity>();
  auto counts = storage::polls::counts(conn, post.id);
  if (!counts) return counts.error();
  auto voters = storage::polls::voters(conn, post.id);
  if (!voters) return voters.error();
  PollEntity entity;
  entity.id = post.id;
  entity.expires_at = (*poll)->closes_at;
  entity.expired = (*poll)->state != "open" || view.now >= (*poll)->closes_at;
  entity.multiple = (*poll)->multiple;
  entity.voters_count = voters->total();
  for (const auto& count : *counts) {
    entity.options.push_back({count.name, count.total()});
    entity.votes_count += count.total();
  }
  if (view.viewer_id) {
    auto mine = storage::polls::choices_of(conn, post.id, *view.viewer_id);
    if (!mine) return mine.error();
    entity.own_votes = std::move(*mine);
  }
  return std::optional<PollEntity>(std::move(entity));
}

Result<std::optional<PollEntity>> remote_poll(storage::Connection& conn,
                                              const storage::PostRecord& post,
                                              const ApiView& view) {
  if (post.object_type != "Question") return std::optional<PollEntity>();
  auto doc = federation::as2::parse_json(post.raw_json);
  if (!doc) return std::optional<PollEntity>();
  auto poll = federation::as2::read_remote_poll(*doc, view.now);
  if (!poll) return std::optional<PollEntity>();
  PollEntity entity;
  entity.id = post.id;
  entity.expires_at = poll->ends_at;
  entity.expired = poll->closed;
  entity.multiple = poll->multiple;
  entity.voters_count = poll->voters_count;
  for (std::size_t i = 0; i < poll->options.size(); ++i) {
    entity.options.push_back({poll->options[i], poll->counts[i]});
    entity.votes_count += poll->counts[i];
  }
  if (view.viewer_id) {
    auto mine = storage::remote_poll_votes::choices_of(conn, post.id, *view.viewer_id);
    if (!mine) return mine.error();
    entity.own_votes = std::move(*mine);
  }
  return std::optional<PollEntity>(std::move(entity));
}

}  // namespace

Result<std::optional<PollEntity>> poll_of(storage::Connection& conn,
                                          const storage::PostRecord& post, const ApiView& view) {
  if (post.deleted_at) return std::optional<PollEntity>();
  return post.local ? local_poll(conn, post, view) : remote_poll(conn, post, view);
}

void write_poll(JsonWriter& out, const PollEntity& poll, const ApiView& view) {
  out.start_object();
  out.field("id", std::to_string(poll.id));
  out.key("expires_at");
  if (poll.expires_at) {
    out.string(federation::as2::format_iso8601_ms(*poll.expires_at));
  } else {
    out.null();
  }
  out.field("expired", poll.expired);
  out.field("multiple", poll.multiple);
  out.field("votes_count", poll.votes_count);
  out.key("voters_count");
  if (poll.voters_count) out.int64(*poll.voters_count); else out.null();
  out.key("options");
  out.start_array();
  for (const auto& option : poll.options) {
    out.start_object();
    out.field("title", option.title);
    out.field("votes_count", option.votes_count);
    out.end_object();
  }
  out.end_array();
  out.key("emojis");
  out.start_array();
  out.end_array();
  // Mastodon writes voted and own_votes only for an authenticated viewer.
  if (view.viewer_id) {
    out.field("voted", !poll.own_votes.empty());
    out.key("own_votes");
    out.start_array();
    for (const int position : poll.own_votes) out.int64(position);
    out.end_array();
  }
  out.end_object();
}

Result<void> write_poll(JsonWriter& out, storage::Connection& conn,
                        const storage::PostRecord& post, const ApiView& view) {
  auto poll = poll_of(conn, post, view);
  if (!poll) return poll.error();
  if (*poll) {
    write_poll(out, **poll, view);
  } else {
    out.null();
  }
  return {};
}

Result<std::string> poll_json(storage::Database& db, std::string_view id, const ApiView& view) {
  auto post = find_status(db, id, view);
  if (!post) return post.error();
  return db.read([&](storage::Connection& conn) -> Result<std::string> {
    auto poll = poll_of(conn, *post, view);
    if (!poll) return poll.error();
    if (!*poll) return ViewError::not_found;
    JsonWriter out;
    write_poll(out, **poll, view);
    return out.str();
  });
}

}  // namespace civicpub::server::views
