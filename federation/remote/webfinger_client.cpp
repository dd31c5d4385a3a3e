#include "federation/remote/webfinger_client.hpp"

#include "federation/as2/reader.hpp"
#include "federation/federation_error.hpp"
#include "federation/http/error.hpp"
#include "federation/remote/domain_blocks.hpp"

#include <boost/asio/ip/address.hpp>

#include <algorithm>
#include <cctype>

namespace civicpub::federation {

namespace {

class WebfingerCategory final : public KindedCategory {
 public:
  const char* name() const noexcept override { return "civicpub.webfinger"; }
  std::string message(int value) const override {
    switch (static_cast<WebfingerError>(value)) {
      case WebfingerError::bad_handle: return "not a handle of the form @user@domain";
      case WebfingerError::not_found: return "the server knows no such account (WebFinger 404)";
      case WebfingerError::gone: return "the account was deleted (WebFinger 410)";
      case WebfingerError::unexpected_status: return "WebFinger answered with an HTTP error";
      case WebfingerError::bad_document: return "WebFinger answer is not a readable JRD";
      case WebfingerError::no_actor_link:
        return "WebFinger answer has no ActivityPub actor link (rel=self)";
    }
    return "unknown webfinger error";
  }
  ErrorKind kind(int value) const noexcept override {
    switch (static_cast<WebfingerError>(value)) {
      case WebfingerError::bad_handle:
      case WebfingerError::bad_document: return ErrorKind::invalid_input;
      case WebfingerError::not_found:
      case WebfingerError::no_actor_link: return ErrorKind::not_found;
      case WebfingerError::gone: return ErrorKind::gone;
      case WebfingerError::unexpected_status: return ErrorKind::transient;
    }
    return ErrorKind::internal;
  }
};

constexpr std::string_view kJrdAccept = "application/jrd+json, application/json;q=0.5";
constexpr std::string_view kAsProfile = "https://www.w3.org/ns/activitystreams";

bool username_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
}

bool domain_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' ||
         c == '[' || c == ']';
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// host[:port] -> host, without IPv6 brackets.
std::string_view host_of_domain(std::string_view domain) {
  if (!domain.empty() && domain.front() == '[') {
    const auto close = domain.find(']');
    return close == std::string_view::npos ? domain : domain.substr(1, close - 1);
  }
  const auto colon = domain.rfind(':');
  return colon == std::string_view::npos ? domain : domain.substr(0, colon);
}

// Query-component encoding of the resource: unreserved characters, ':' and '@' stay.
std::string encode_resource(std::string_view resource) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : resource) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == ':' || c == '@') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  return out;
}

// "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"" in its spellings.
bool is_as2_media_type(std::string_view type) {
  std::string t;
  for (char c : type) {
    if (c != ' ' && c != '"') t += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (t == "application/activity+json") return true;
  return t.rfind("application/ld+json", 0) == 0 && t.find(kAsProfile) != std::string::npos;
}

// The https attempt never reached an HTTP exchange: nothing listens, or it is not TLS.
bool connection_failed(const boost::system::error_code& ec) {
  return ec == http::HttpError::connect_failed || ec == http::HttpError::tls_failed;
}

}  // namespace

const KindedCategory& webfinger_category() noexcept {
  static const WebfingerCategory category;
  return category;
}

std::optional<AccountHandle> parse_account_handle(std::string_view text) {
  if (text.rfind("acct:", 0) == 0) {
    text.remove_prefix(5);
  } else if (!text.empty() && text.front() == '@') {
    text.remove_prefix(1);
  }
  const auto at = text.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= text.size()) return std::nullopt;
  const auto user = text.substr(0, at);
  const auto domain = text.substr(at + 1);
  if (!std::all_of(user.begin(), user.end(), username_char)) return std::nullopt;
  if (!std::all_of(domain.begin(), domain.end(), domain_char)) return std::nullopt;
  if (host_of_domain(domain).empty()) return std::nullopt;
  return AccountHandle{std::string(user), lower(domain)};
}

bool is_actor_url(std::string_view text) {
  const auto scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos) return false;
  const auto scheme = lower(text.substr(0, scheme_end));
  return (scheme == "https" || scheme == "http") && text.size() > scheme_end + 3;
}

bool allows_plain_http_fallback(std::string_view domain) {
  const auto host = host_of_domain(domain);
  if (lower(host) == "localhost") return true;
  boost::system::error_code ec;
  boost::asio::ip::make_address(std::string(host), ec);
  return !ec;
}

Result<std::string> actor_link_of(std::string_view jrd) {
  auto doc = as2::parse_json(jrd);
  if (!doc || !doc->IsObject()) return WebfingerError::bad_document;
  const auto* links = as2::find_member(*doc, "links");
  if (links == nullptr || !links->IsArray()) return WebfingerError::no_actor_link;
  for (const auto& link : links->GetArray()) {
    const auto* rel = as2::find_member(link, "rel");
    const auto* type = as2::find_member(link, "type");
    const auto* href = as2::find_member(link, "href");
    if (rel == nullptr || !rel->IsString() || std::string_view(rel->GetString()) != "self") {
      continue;
    }
    if (type == nullptr || !type->IsString() || !is_as2_media_type(type->GetString())) continue;
    if (href == nullptr || !href->IsString() || !is_actor_url(href->GetString())) continue;
    return std::string(href->GetString(), href->GetStringLength());
  }
  return WebfingerError::no_actor_link;
}

boost::asio::awaitable<Result<http::OutboundResponse>> WebfingerClient::query(AccountHandle handle,
                                                                              std::string scheme) {
  http::OutboundRequest request;
  request.url = std::string(scheme) + "://" + handle.domain +
                "/.well-known/webfinger?resource=" + encode_resource("acct:" + handle.acct());
  request.set_header("Accept", std::string(kJrdAccept));
  // A blocked domain hears nothing from us, not even a lookup (docs/moderation.md).
  if (blocks_ && blocks_->blocks_url(request.url)) {
    co_return make_error_code(FederationError::blocked_domain);
  }
  auto response = co_await transport_.send(std::move(request));
  if (response && blocks_ && !response->final_url.empty() &&
      blocks_->blocks_url(response->final_url)) {
    co_return make_error_code(FederationError::blocked_domain);
  }
  co_return response;
}

boost::asio::awaitable<Result<std::string>> WebfingerClient::resolve(AccountHandle handle) {
  auto response = co_await query(handle, "https");
  if (!response && connection_failed(response.error()) &&
      allows_plain_http_fallback(handle.domain)) {
    response = co_await query(handle, "http");
  }
  if (!response) co_return response.error();
  if (response->status == 404) co_return WebfingerError::not_found;
  if (response->status == 410) co_return WebfingerError::gone;
  if (response->status < 200 || response->status > 299) co_return WebfingerError::unexpected_status;
  co_return actor_link_of(response->body);
}

boost::asio::awaitable<Result<std::string>> WebfingerClient::resolve(std::string handle_or_url) {
  if (is_actor_url(handle_or_url)) co_return std::string(handle_or_url);
  const auto handle = parse_account_handle(handle_or_url);
  if (!handle) co_return WebfingerError::bad_handle;
  co_return co_await resolve(*handle);
}

}  // namespace civicpub::federation
