// Publishing, editing and deleting a local account's posts (INTEROP.md section 4). Each call
// stores the change and queues its activity (Create, Update or Delete of the Note), rendered once,
// for every distinct inbox of the post's audience (post_audience.hpp) in the same transaction;
// the server's delivery worker sends the rows. Used by `civicpub post` now, the client API later.
//
// A local post's raw_json holds the Note as last sent: it is where an edit or a delete finds the
// actors the post mentioned (there is no mentions table yet).
#pragma once

#include "federation/clock.hpp"
#include "federation/services/account_lookup.hpp"
#include "storage/database.hpp"
#include "storage/records.hpp"

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <random>
#include <string>
#include <vector>

namespace civicpub::federation::services {

struct PostSettings {
  std::string base_url;      // hashtag links hang off <base_url>/tags/
  std::string local_domain;  // handle domain of local accounts
};

struct PublishRequest {
  std::string author;  // local username
  std::string text;    // plain text: links, @mentions and #hashtags are marked up
  storage::Visibility visibility = storage::Visibility::public_;
  std::string content_warning;  // empty: none
};

struct EditRequest {
  std::string post_url;
  std::string text;
  std::optional<std::string> content_warning;  // unset: keep the current one
  std::optional<std::string> acting_username;  // unset: act as the post's author (CLI)
};

struct UnresolvedMention {
  std::string handle;  // as written
  std::string reason;  // why it stayed plain text
};

struct PostOutcome {
  storage::PostRecord post;  // as stored
  std::string activity_id;   // the Create, Update or Delete queued
  std::size_t deliveries = 0;
  std::vector<UnresolvedMention> unresolved;  // mentions left as plain text (publish, edit)
};

class PostService {
 public:
  PostService(storage::Database& db, AccountLookup& lookup, PostSettings settings, Clock clock,
              std::uint64_t seed = std::random_device{}())
      : db_(db),
        lookup_(lookup),
        settings_(std::move(settings)),
        clock_(std::move(clock)),
        rng_(seed) {}

  // Errors: ServiceError (unknown_account, account_deleted, empty_text), storage errors.
  // A mention that does not resolve stays plain text and is listed in `unresolved`.
  boost::asio::awaitable<Result<PostOutcome>> publish(PublishRequest request);

  // Errors: ServiceError (unknown_post, post_not_local, post_deleted, not_author, empty_text).
  boost::asio::awaitable<Result<PostOutcome>> edit(EditRequest request);

  // Marks the post deleted, keeps a tombstone and queues Delete{Tombstone} to the audience.
  // `acting_username` as in EditRequest.
  boost::asio::awaitable<Result<PostOutcome>> remove(
      std::string post_url, std::optional<std::string> acting_username = std::nullopt);

 private:
  struct Composed;
  struct Editable;
  boost::asio::awaitable<Composed> compose(std::string text);
  Result<Editable> editable(const std::string& post_url,
                            const std::optional<std::string>& acting_username);

  storage::Database& db_;
  AccountLookup& lookup_;
  PostSettings settings_;
  Clock clock_;
  std::mt19937_64 rng_;
};

}  // namespace civicpub::federation::services
