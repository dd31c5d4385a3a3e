// Editing a local account's profile (`civicpub account update`, later the client API): the change
// is stored and Update{actor document} is queued for every remote follower's inbox in the same
// transaction, so followers' servers refresh the name, bio and approval setting they show.
#pragma once

#include "federation/as2/instance_info.hpp"
#include "federation/clock.hpp"
#include "server/services/account_lookup.hpp"
#include "storage/database.hpp"

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace civicpub::server::services {

struct ProfileChange {
  std::optional<std::string> display_name;
  std::optional<std::string> summary;  // plain text; links, mentions, hashtags marked up
  std::optional<bool> manually_approves_followers;
  std::optional<bool> discoverable;
  // Mastodon's `bot`: the actor becomes a Service (true) or, from a Service, a Person (false);
  // organisations and groups keep their type when false.
  std::optional<bool> bot;
  // Profile fields (name, plain-text value), replacing the old ones; the caller keeps Mastodon's
  // limits (4 fields, 255 characters). Values are marked up like a bio and federated as
  // PropertyValue attachments.
  std::optional<std::vector<std::pair<std::string, std::string>>> fields;
  // verify_credentials' `source`: the account's posting defaults (not federated).
  std::optional<std::string> privacy;  // public, unlisted, private, direct
  std::optional<bool> sensitive;
  std::optional<std::string> language;
};

struct ProfileOutcome {
  storage::ActorRecord actor;  // as stored
  std::string activity_id;     // the Update queued
  std::size_t deliveries = 0;
};

class ProfileService {
 public:
  ProfileService(storage::Database& db, AccountLookup& lookup, federation::as2::InstanceInfo instance,
                 federation::Clock clock)
      : db_(db), lookup_(lookup), instance_(std::move(instance)), clock_(std::move(clock)) {}

  // Errors: ServiceError (unknown_account, account_deleted), storage errors. An empty change
  // still sends the Update (a way to make followers refetch).
  boost::asio::awaitable<Result<ProfileOutcome>> update_profile(std::string username,
                                                                ProfileChange change);

 private:
  storage::Database& db_;
  AccountLookup& lookup_;
  federation::as2::InstanceInfo instance_;
  federation::Clock clock_;
};

}  // namespace civicpub::server::services
