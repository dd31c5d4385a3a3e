// The Mastodon Poll entity (docs.joinmastodon.org/entities/Poll) of a status: for a consultation
// of this server from its counts (polls), for another server's Question from the Question as
// last received (its author's Update(Question) brings the counts). The poll's id is its status's
// id. `voted` and `own_votes` are the viewer's: counted here (poll_votes) or sent elsewhere
// (remote_poll_votes).
#pragma once

#include "server/views/api_entities.hpp"
#include "storage/database.hpp"

#include <optional>
#include <string>
#include <vector>

namespace civicpub::server::views {

struct PollEntity {
  std::int64_t id = 0;
  std::optional<storage::Millis> expires_at;
  bool expired = false;
  bool multiple = false;
  std::int64_t votes_count = 0;
  std::optional<std::int64_t> voters_count;
  struct Option {
    std::string title;
    std::int64_t votes_count = 0;
  };
  std::vector<Option> options;
  std::vector<int> own_votes;  // the viewer's choices (empty: not voted, or anonymous)
};

// The poll of `post`, unset when it has none.
Result<std::optional<PollEntity>> poll_of(storage::Connection& conn,
                                          const storage::PostRecord& post, const ApiView& view);

// The entity, or null when the post has no poll (the `poll` member of a Status).
Result<void> write_poll(federation::as2::JsonWriter& out, storage::Connection& conn,
                        const storage::PostRecord& post, const ApiView& view);
void write_poll(federation::as2::JsonWriter& out, const PollEntity& poll, const ApiView& view);

// GET /api/v1/polls/{id}: the poll of a status the viewer may see; ViewError::not_found when the
// status is unknown, hidden or has no poll.
Result<std::string> poll_json(storage::Database& db, std::string_view id, const ApiView& view);

}  // namespace civicpub::server::views
