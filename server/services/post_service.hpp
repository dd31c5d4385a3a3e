// Publishing, editing and deleting a local account's posts (INTEROP.md section 4). Each call
// stores the change and queues its activity (Create, Update or Delete of the Note), rendered once,
// for every distinct inbox of the post's audience (post_audience.hpp) in the same transaction;
// the server's delivery worker sends the rows. Used by `civicpub post` now, the client API later.
//
// A post's Mention and Hashtag tags are stored with it (post_mentions, post_hashtags) and every
// Note of it is rendered from them, so an edit or a delete reaches everyone the post mentioned.
//
// Replies (INTEROP.md section 4, "Where replies go"): the parent, local or remote, comes from the
// federation::PostFetcher (stored, else fetched, with the thread above it). The reply has in_reply_to = the
// parent's id, the parent's thread root and `context` (the parent's, else its thread root's), and
// mentions the parent's author (a Mention tag and `cc`), so it reaches that author's inbox as
// well as the mentioned actors and the replier's followers. The requested visibility is kept
// whatever the parent's. A new top-level post starts a thread whose `context` is
// <post url>/context (FEP-7888), served by the post routes.
#pragma once

#include "federation/clock.hpp"
#include "federation/remote/post_fetcher.hpp"
#include "server/services/account_lookup.hpp"
#include "storage/database.hpp"
#include "storage/records.hpp"

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <random>
#include <string>
#include <vector>

namespace civicpub::server::services {

struct PostSettings {
  std::string base_url;      // hashtag links hang off <base_url>/tags/
  std::string local_domain;  // handle domain of local accounts
};

// A poll that makes the new top post a Question (a consultation, consultation_service.hpp, which
// validates it). The options are stored in order; eligible domains lowercase.
struct PollSpec {
  std::string title;  // the Question's name
  std::vector<std::string> options;
  bool multiple = false;
  storage::Millis closes_at = 0;
  std::vector<std::string> eligible_domains;
};

struct PublishRequest {
  std::string author;  // local username
  std::string text;    // plain text: links, @mentions and #hashtags are marked up
  storage::Visibility visibility = storage::Visibility::public_;
  std::string content_warning;             // empty: none
  std::optional<std::string> in_reply_to;  // the parent's id (any post, local or remote)
  // A local group to post in (its name). A reply inside one of our groups' threads is posted in
  // that group without asking. The post carries `audience` = the group and the group in `to`,
  // and the group announces it to its members (services/group_posting.hpp).
  std::optional<std::string> group;
  bool sensitive = false;                  // also true whenever there is a content warning
  std::string language = {};               // BCP 47 tag (2 to 35 of [A-Za-z0-9-]), may be empty
  // Actor ids whose inboxes also receive the Create, without the post addressing them (a
  // consultation's official answer reaches every participant without publishing who voted).
  std::vector<std::string> also_deliver_to = {};
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
  std::size_t backfilled = 0;  // a reply into a remote thread: its posts fetched by backfill
};

class PostService {
 public:
  // `posts` finds the parent of a reply (edit and remove never use it).
  PostService(storage::Database& db, AccountLookup& lookup, federation::PostFetcher& posts,
              PostSettings settings, federation::Clock clock, std::uint64_t seed = std::random_device{}())
      : db_(db),
        lookup_(lookup),
        posts_(posts),
        settings_(std::move(settings)),
        clock_(std::move(clock)),
        rng_(seed) {}

  // Errors: ServiceError (unknown_account, account_deleted, empty_text, parent_deleted), the
  // federation::PostFetcher's errors for a parent that cannot be had, storage errors.
  // A mention that does not resolve stays plain text and is listed in `unresolved`.
  boost::asio::awaitable<Result<PostOutcome>> publish(PublishRequest request);
  // The same for a top post that is a Question with `poll` (a consultation; the caller checked
  // the poll, consultation_service.hpp). A reply cannot be a poll: in_reply_to is ignored.
  boost::asio::awaitable<Result<PostOutcome>> publish_question(PublishRequest request,
                                                               PollSpec poll);

  // Errors: ServiceError (unknown_post, post_not_local, post_deleted, not_author, empty_text).
  boost::asio::awaitable<Result<PostOutcome>> edit(EditRequest request);

  // Marks the post deleted, keeps a tombstone and queues Delete{Tombstone} to the audience.
  // `acting_username` as in EditRequest.
  boost::asio::awaitable<Result<PostOutcome>> remove(
      std::string post_url, std::optional<std::string> acting_username = std::nullopt);

 private:
  struct Composed;
  struct Editable;
  struct Parent;
  boost::asio::awaitable<Composed> compose(std::string text);
  boost::asio::awaitable<Result<PostOutcome>> publish_post(PublishRequest request,
                                                           std::optional<PollSpec> poll);
  boost::asio::awaitable<Result<Parent>> parent_of_reply(std::string uri, std::int64_t replier_id);
  Result<Editable> editable(const std::string& post_url,
                            const std::optional<std::string>& acting_username);

  storage::Database& db_;
  AccountLookup& lookup_;
  federation::PostFetcher& posts_;
  PostSettings settings_;
  federation::Clock clock_;
  std::mt19937_64 rng_;
};

}  // namespace civicpub::server::services
