// Finding the accounts a service acts for and on: local accounts by username, and any account by
// handle (`@user@domain[:port]`, WebFinger) or actor URL. A handle on our own handle domain, or an
// URL of one of our actors, is answered from storage without network traffic.
#pragma once

#include "server/services/remote_actors.hpp"
#include "federation/remote/webfinger_client.hpp"
#include "storage/database.hpp"

#include <boost/asio/awaitable.hpp>

#include <string>
#include <string_view>

namespace civicpub::server::services {

class AccountLookup {
 public:
  // `local_domain`: the handle domain of local accounts (host[:port], lowercase).
  AccountLookup(storage::Database& db, federation::WebfingerClient& webfinger, RemoteActors& remote,
                std::string local_domain)
      : db_(db), webfinger_(webfinger), remote_(remote), local_domain_(std::move(local_domain)) {}

  // A local, not deleted account. ServiceError::unknown_account / account_deleted.
  Result<storage::ActorRecord> local_account(std::string_view username);

  // Any account, local or remote. Errors: federation::WebfingerError (bad handle, no such account, ...),
  // federation::http::HttpError, federation::FederationError from the remote-actor fetch.
  boost::asio::awaitable<Result<storage::ActorRecord>> resolve(std::string handle_or_url);

  const std::string& local_domain() const { return local_domain_; }

 private:
  storage::Database& db_;
  federation::WebfingerClient& webfinger_;
  RemoteActors& remote_;
  std::string local_domain_;
};

}  // namespace civicpub::server::services
