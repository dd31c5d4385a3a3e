#include "server/services/accounts.hpp"

#include "federation/text/html_escape.hpp"

#include "federation/keys/assertion_key.hpp"
#include "federation/clock.hpp"
#include "federation/crypto/rsa_key.hpp"
#include "storage/actors.hpp"
#include "storage/assertion_keys.hpp"
#include "storage/errors.hpp"
#include "storage/local_keys.hpp"

#include <algorithm>

namespace civicpub::server::services {

namespace {

class AccountCategory final : public civicpub::KindedCategory {
 public:
  const char* name() const noexcept override { return "civicpub.account"; }
  std::string message(int value) const override {
    switch (static_cast<AccountError>(value)) {
      case AccountError::invalid_username: return "invalid username";
      case AccountError::username_taken: return "username is taken";
    }
    return "unknown account error";
  }
  ErrorKind kind(int value) const noexcept override {
    return static_cast<AccountError>(value) == AccountError::username_taken
               ? ErrorKind::conflict
               : ErrorKind::invalid_input;
  }
};

// Plain text to the HTML Mastodon shows: one <p> per blank-line-separated paragraph.
std::string summary_html(std::string_view text) {
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find("\n\n", start);
    if (end == std::string_view::npos) end = text.size();
    if (end > start) out += "<p>" + federation::text::html_escape(text.substr(start, end - start)) + "</p>";
    start = end + 2;
  }
  return out;
}

storage::ActorRecord local_actor(const AccountSettings& settings, const NewAccount& account,
                                 const std::string& public_pem, storage::Millis now) {
  storage::ActorRecord actor;
  actor.local = true;
  actor.username = account.username;
  actor.type = std::string(as2_type(account.type));
  actor.domain = settings.handle_domain;
  actor.display_name = account.display_name.empty() ? account.username : account.display_name;
  actor.summary_html = summary_html(account.summary);
  actor.uri = settings.base_url + "/users/" + account.username;
  actor.inbox = actor.uri + "/inbox";
  actor.outbox = actor.uri + "/outbox";
  actor.followers = actor.uri + "/followers";
  actor.following = actor.uri + "/following";
  actor.shared_inbox = settings.base_url + "/inbox";
  actor.url = settings.base_url + "/@" + account.username;
  actor.key_id = actor.uri + "#main-key";
  actor.public_key_pem = public_pem;
  // The instance actor only signs fetches; nobody should follow it by accident.
  actor.discoverable = account.type != AccountType::application;
  actor.created_at = actor.updated_at = now;
  return actor;
}

Result<storage::ActorRecord> create(storage::Database& db, const AccountSettings& settings,
                                    const NewAccount& account, const AlsoOnCreate& also = {}) {
  const storage::Millis now = account.now.value_or(federation::system_now_millis());
  // Key generation takes tens of milliseconds: done before the federation::write, never on the writer thread.
  const auto keys = federation::crypto::generate_rsa_key_pair();
  // The Ed25519 key of its integrity proofs (assertion_key.hpp), stored with the account.
  auto assertion = federation::new_assertion_key(0, now);
  storage::ActorRecord actor = local_actor(settings, account, keys.public_pem, now);
  return db.write_sync([&](storage::Connection& conn) -> Result<storage::ActorRecord> {
    auto id = storage::actors::insert_local(conn, actor);
    if (!id) {
      if (id.error() == storage::Errc::conflict) return AccountError::username_taken;
      return id.error();
    }
    storage::LocalKeyRecord key{*id, keys.private_pem, keys.public_pem, now};
    if (auto stored = storage::local_keys::insert(conn, key); !stored) return stored.error();
    assertion.actor_id = *id;
    if (auto stored = storage::assertion_keys::insert_local(conn, assertion); !stored) {
      return stored.error();
    }
    storage::ActorRecord created = actor;
    created.id = *id;
    if (also) {
      if (auto extra = also(conn, created); !extra) return extra.error();
    }
    return created;
  });
}

}  // namespace

const civicpub::KindedCategory& account_error_category() noexcept {
  static const AccountCategory category;
  return category;
}

std::string_view as2_type(AccountType type) {
  switch (type) {
    case AccountType::person: return "Person";
    case AccountType::organization: return "Organization";
    case AccountType::service: return "Service";
    case AccountType::application: return "Application";
    case AccountType::group: return "Group";
  }
  return "Person";
}

std::optional<AccountType> parse_account_type(std::string_view name) {
  if (name == "person") return AccountType::person;
  if (name == "organization") return AccountType::organization;
  if (name == "service") return AccountType::service;
  return std::nullopt;  // application is reserved for the instance actor
}

bool is_valid_username(std::string_view username) {
  return !username.empty() && username.size() <= 30 &&
         std::all_of(username.begin(), username.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
         });
}

Result<storage::ActorRecord> create_local_account(storage::Database& db,
                                                  const AccountSettings& settings,
                                                  const NewAccount& account) {
  return create_local_account(db, settings, account, {});
}

Result<storage::ActorRecord> create_local_account(storage::Database& db,
                                                  const AccountSettings& settings,
                                                  const NewAccount& account,
                                                  const AlsoOnCreate& also) {
  if (!is_valid_username(account.username)) return AccountError::invalid_username;
  if (account.username == kInstanceActorUsername && account.type != AccountType::application) {
    return AccountError::username_taken;
  }
  // A friendly early answer; the UNIQUE index still decides a race.
  auto existing = db.read([&](storage::Connection& conn) {
    return storage::actors::find_local_by_username(conn, account.username);
  });
  if (!existing) return existing.error();
  if (*existing) return AccountError::username_taken;
  return create(db, settings, account, also);
}

Result<storage::ActorRecord> ensure_instance_actor(storage::Database& db,
                                                   const AccountSettings& settings,
                                                   std::string_view display_name) {
  auto existing = db.read([&](storage::Connection& conn) {
    return storage::actors::find_local_by_username(conn, kInstanceActorUsername);
  });
  if (!existing) return existing.error();
  if (*existing) return std::move(**existing);
  NewAccount account;
  account.username = std::string(kInstanceActorUsername);
  account.type = AccountType::application;
  account.display_name = std::string(display_name);
  auto created = create(db, settings, account);
  if (!created && created.error() == AccountError::username_taken) {
    // Another init won the race: use its actor.
    return ensure_instance_actor(db, settings, display_name);
  }
  return created;
}

std::string instance_actor_uri(std::string_view base_url) {
  return std::string(base_url) + "/users/" + std::string(kInstanceActorUsername);
}

}  // namespace civicpub::server::services
