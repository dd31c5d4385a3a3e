// Finding a remote account's actor id from its handle (RFC 7033 WebFinger, INTEROP.md section 1):
// `@anna@social.example` -> GET https://social.example/.well-known/webfinger?resource=acct:...
// -> the `self` link of an AS2 media type. Never parse usernames out of URLs; go through here.
//
// Scheme rule: WebFinger is https. Only when the https attempt could not establish a connection
// (refused, or the TLS handshake failed because the peer speaks plain HTTP) AND the host is an IP
// literal or `localhost` does the client retry over plain http. That covers test setups such as
// `@anna@127.0.0.1:8081` without ever downgrading a real domain name, where an attacker on the
// path could otherwise force http by blocking port 443. Timeouts never fall back (a slow https
// server is not a plain-http one).
#pragma once

#include "federation/http/transport.hpp"
#include "common/error_kind.hpp"

#include <boost/asio/awaitable.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace civicpub::federation {

class BlockList;  // federation/remote/domain_blocks.hpp

enum class WebfingerError {
  bad_handle = 1,     // not user@domain (invalid_input)
  not_found,          // the server answered 404: no such account (not_found)
  gone,               // the server answered 410: the account was deleted (gone)
  unexpected_status,  // any other non-2xx answer (transient)
  bad_document,       // not a JRD we can read (invalid_input)
  no_actor_link,      // a JRD without an AS2 `self` link (not_found)
};

const KindedCategory& webfinger_category() noexcept;

inline boost::system::error_code make_error_code(WebfingerError e) noexcept {
  return {static_cast<int>(e), webfinger_category()};
}

// user@domain, domain lowercase host[:port] (IPv6 in brackets).
struct AccountHandle {
  std::string username;
  std::string domain;

  std::string acct() const { return username + "@" + domain; }
};

// Reads `@user@domain`, `user@domain` or `acct:user@domain`. Usernames: letters, digits, `_`,
// `.`, `-` (what Mastodon, GoToSocial and Fedify allow); the domain may carry a port.
std::optional<AccountHandle> parse_account_handle(std::string_view text);

// True for an absolute http(s) URL, which callers treat as an actor id (no WebFinger needed).
bool is_actor_url(std::string_view text);

// True when the host part of host[:port] is an IPv4/IPv6 literal or `localhost`: the only hosts
// for which the plain-http fallback is allowed.
bool allows_plain_http_fallback(std::string_view domain);

class WebfingerClient {
 public:
  // `blocks`: no lookup is sent to a blocked domain, nor taken from a redirect to one
  // (FederationError::blocked_domain); null: no domain is blocked.
  explicit WebfingerClient(http::Transport& transport,
                           std::shared_ptr<const BlockList> blocks = nullptr)
      : transport_(transport), blocks_(std::move(blocks)) {}

  // The actor id for a handle (errors: WebfingerError, http::HttpError from the transport,
  // FederationError::blocked_domain).
  boost::asio::awaitable<Result<std::string>> resolve(AccountHandle handle);

  // A handle is looked up; an http(s) URL is returned as it is (it already is an actor id).
  boost::asio::awaitable<Result<std::string>> resolve(std::string handle_or_url);

 private:
  boost::asio::awaitable<Result<http::OutboundResponse>> query(AccountHandle handle,
                                                               std::string scheme);

  http::Transport& transport_;
  std::shared_ptr<const BlockList> blocks_;
};

// The actor id from a JRD body: the `self` link typed application/activity+json or
// application/ld+json with the ActivityStreams profile. Exposed for tests.
Result<std::string> actor_link_of(std::string_view jrd);

}  // namespace civicpub::federation

template <>
struct boost::system::is_error_code_enum<civicpub::federation::WebfingerError> : std::true_type {};
