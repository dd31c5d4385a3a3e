// Plumbing shared by the Mastodon client API routes: what they depend on, request parameters
// from the query string and a JSON, form or multipart body, bearer-token authentication with a
// scope check, and Mastodon's error answers.
#pragma once

#include "federation/as2/instance_info.hpp"
#include "federation/clock.hpp"
#include "federation/remote/post_fetcher.hpp"
#include "server/http/request.hpp"
#include "server/services/account_lookup.hpp"
#include "server/services/idempotency.hpp"
#include "server/services/login_throttle.hpp"
#include "server/services/oauth_service.hpp"
#include "server/services/poll_vote_service.hpp"
#include "server/services/post_service.hpp"
#include "server/views/api_entities.hpp"
#include "storage/database.hpp"

#include <spdlog/logger.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace civicpub::server::routes {

struct ApiDeps {
  storage::Database& db;
  const federation::as2::InstanceInfo& instance;
  services::OAuthService& oauth;
  services::LoginThrottle& throttle;  // the consent page's logins (the token endpoint's are in oauth)
  // A PostService per request: it keeps a random generator for post ids, which requests on
  // several threads must not share.
  std::function<std::unique_ptr<services::PostService>()> post_service;
  std::function<void()> wake_delivery;  // after a write queued deliveries
  std::shared_ptr<spdlog::logger> log;
  federation::Clock clock = federation::system_clock();  // audit log times, polls' expiry
  // A PollVoteService per request (the same use case `civicpub consultation vote` runs); set by
  // App after construction. Unset: voting answers 503.
  std::function<std::unique_ptr<services::PollVoteService>()> poll_vote_service = {};
  // Accounts by handle or URL (following, search): the same lookup as the CLI's.
  services::AccountLookup* lookup = nullptr;
  // Fetching a post by URL for search with resolve=true (the server's RemotePosts).
  federation::PostFetcher* posts = nullptr;
  // Idempotency-Key of POST /api/v1/statuses: one set per server.
  std::shared_ptr<services::IdempotencyKeys> idempotency =
      std::make_shared<services::IdempotencyKeys>();
};

// Records a write made through the API in the audit log: the account acted as, and the login
// that acted (the staff member, or the account itself). A failure is logged, not answered: the
// write itself has happened.
boost::asio::awaitable<void> audit_write(const ApiDeps& deps, const services::TokenGrant& grant,
                                         std::string action, std::string object_uri);

// The body types every API route with a body accepts.
std::vector<std::string> api_body_types();

// Request parameters: the query string, then the body (application/x-www-form-urlencoded,
// application/json with a top-level object, or multipart/form-data text parts). `name[]` and a
// JSON array under `name` are both repeated values of `name`.
class Params {
 public:
  // nullopt: a body that does not parse, or more than kMaxParams parameters.
  static std::optional<Params> from(const http::RequestContext& ctx);
  static std::optional<Params> from_query(std::string_view query);

  std::optional<std::string> get(std::string_view name) const;  // the first value
  std::string value(std::string_view name) const { return get(name).value_or(std::string()); }
  std::vector<std::string> all(std::string_view name) const;
  // "true", "1", "on", "yes" (any case); false when absent.
  bool flag(std::string_view name) const;
  void add(std::string name, std::string value);

  static constexpr std::size_t kMaxParams = 256;

 private:
  std::vector<std::pair<std::string, std::string>> values_;
};

// x-www-form-urlencoded decoding of one component ('+' is a space). nullopt: a broken %-escape.
std::optional<std::string> form_decode(std::string_view text);
std::string form_encode(std::string_view text);

// The bearer token of the Authorization header (or empty).
std::string_view bearer_token(const http::RequestContext& ctx);

// The token's grant when it is valid, grants `scope` (empty: any valid token) and, when
// `need_account`, belongs to an account; else the error to answer: 401 for a missing, unknown,
// expired or revoked token, 403 for a missing scope, 422 for an app-only token where a user is
// needed (Mastodon's answers).
std::variant<services::TokenGrant, http::Response> authorize(const ApiDeps& deps,
                                                             const http::RequestContext& ctx,
                                                             std::string_view scope,
                                                             bool need_account = true);

// Reads of a status (or its poll) accept no token (public statuses are public) or a valid one
// with read:statuses; an invalid token is refused, as on Mastodon.
std::variant<std::optional<services::TokenGrant>, http::Response> optional_reader(
    const ApiDeps& deps, const http::RequestContext& ctx);
// For reads that take no token or a valid one (public things are public): nullopt without a
// token, the grant with a valid token granting `scope`, else the error authorize() answers.
std::variant<std::optional<services::TokenGrant>, http::Response> optional_authorize(
    const ApiDeps& deps, const http::RequestContext& ctx, std::string_view scope);

// 200 with a JSON body.
http::Response api_json(std::string body);
// The error for a failed call: kind -> status (http::api_status_for); the message is the error's
// for client-facing kinds, a generic one for internal and transient ones (detail to the log).
http::Response api_error(const ApiDeps& deps, const http::RequestContext& ctx,
                         const boost::system::error_code& ec);

views::ApiView api_view(const ApiDeps& deps, const services::TokenGrant* grant);

}  // namespace civicpub::server::routes
