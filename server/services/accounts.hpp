// Creating local accounts: the one place where a local actor's URIs are derived from the base URL
// and its RSA key pair is made. The CLI uses it today; the client API and web sign-up reuse it.
#pragma once

#include "storage/database.hpp"
#include "common/error_kind.hpp"
#include "storage/records.hpp"

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace civicpub::server::services {

enum class AccountError {
  invalid_username = 1,  // not [a-z0-9_]{1,30}
  username_taken,        // another local actor has it (case-insensitive)
};

const civicpub::KindedCategory& account_error_category() noexcept;

inline boost::system::error_code make_error_code(AccountError e) noexcept {
  return {static_cast<int>(e), account_error_category()};
}

// Person, Organization and Service are what accounts may be; Application is the instance actor.
// Group is a civic group (services/groups.hpp creates those, with their settings).
enum class AccountType { person, organization, service, application, group };

std::string_view as2_type(AccountType type);  // "Person", ...
std::optional<AccountType> parse_account_type(std::string_view lowercase_name);

struct AccountSettings {
  std::string base_url;       // scheme://host[:port], no trailing slash
  std::string handle_domain;  // host[:port] in @name@domain handles
};

struct NewAccount {
  std::string username;
  AccountType type = AccountType::person;
  std::string display_name;            // empty: the username
  std::string summary;                 // plain text; stored as escaped HTML paragraphs
  std::optional<storage::Millis> now;  // creation time; empty: the system clock
};

// The username of the instance actor (type Application), created by `civicpub init`. It signs
// the server's own GET requests (authorized-fetch peers demand a signature, INTEROP.md section 2).
// Reserved: no account can take it.
inline constexpr std::string_view kInstanceActorUsername = "instance";

// The instance actor's id: <base>/users/instance.
std::string instance_actor_uri(std::string_view base_url);

// [a-z0-9_]{1,30}: lowercase only, so handles compare without case folding.
bool is_valid_username(std::string_view username);

// Generates the key pair, derives every URI (id <base>/users/<name>, inbox <id>/inbox, outbox,
// followers, following, shared inbox <base>/inbox, url <base>/@<name>, key <id>#main-key) and
// stores the actor and its private key in one transaction. Errors: AccountError, storage::Errc.
Result<storage::ActorRecord> create_local_account(storage::Database& db,
                                                  const AccountSettings& settings,
                                                  const NewAccount& account);

// The same, running `also` in the creating transaction with the stored actor (its id set): a
// group's settings and moderators commit with its actor or not at all.
using AlsoOnCreate = std::function<Result<void>(storage::Connection&, const storage::ActorRecord&)>;
Result<storage::ActorRecord> create_local_account(storage::Database& db,
                                                  const AccountSettings& settings,
                                                  const NewAccount& account,
                                                  const AlsoOnCreate& also);

// The instance actor, created (with its keys) when missing. Idempotent: `civicpub init` runs it
// on every start-up script run.
Result<storage::ActorRecord> ensure_instance_actor(storage::Database& db,
                                                   const AccountSettings& settings,
                                                   std::string_view display_name);

}  // namespace civicpub::server::services

template <>
struct boost::system::is_error_code_enum<civicpub::server::services::AccountError> : std::true_type {};
