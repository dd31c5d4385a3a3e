#include "server/services/account_lookup.hpp"

#include "server/services/service_error.hpp"
#include "storage/actors.hpp"

namespace civicpub::server::services {

Result<storage::ActorRecord> AccountLookup::local_account(std::string_view username) {
  auto found = db_.read([&](storage::Connection& conn) {
    return storage::actors::find_local_by_username(conn, username);
  });
  if (!found) return found.error();
  if (!*found) return ServiceError::unknown_account;
  if ((*found)->deleted_at) return ServiceError::account_deleted;
  return std::move(**found);
}

boost::asio::awaitable<Result<storage::ActorRecord>> AccountLookup::resolve(
    std::string handle_or_url) {
  std::string uri;
  if (federation::is_actor_url(handle_or_url)) {
    uri = handle_or_url;
  } else {
    const auto handle = federation::parse_account_handle(handle_or_url);
    if (!handle) co_return federation::WebfingerError::bad_handle;
    if (handle->domain == local_domain_) co_return local_account(handle->username);
    auto found = co_await webfinger_.resolve(*handle);
    if (!found) co_return found.error();
    uri = std::move(*found);
  }
  auto stored =
      db_.read([&](storage::Connection& conn) { return storage::actors::find_by_uri(conn, uri); });
  if (!stored) co_return stored.error();
  if (*stored && (*stored)->local) {
    if ((*stored)->deleted_at) co_return ServiceError::account_deleted;
    co_return std::move(**stored);
  }
  co_return co_await remote_.resolve(std::move(uri), false);
}

}  // namespace civicpub::server::services
