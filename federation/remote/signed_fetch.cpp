#include "federation/remote/signed_fetch.hpp"

#include "federation/federation_error.hpp"
#include "federation/http/error.hpp"
#include "federation/http/url_target.hpp"
#include "federation/http/urls.hpp"
#include "federation/remote/domain_blocks.hpp"
#include "federation/signatures/cavage_signer.hpp"
#include "federation/keys/signing_key.hpp"
#include "storage/actors.hpp"
#include "storage/errors.hpp"

#include <algorithm>
#include <chrono>

namespace civicpub::federation {
namespace {

constexpr std::string_view kAcceptActivity = "application/activity+json";

std::chrono::system_clock::time_point to_time_point(storage::Millis ms) {
  return std::chrono::system_clock::time_point(std::chrono::milliseconds(ms));
}

bool downgrades(std::string_view from, std::string_view to) {
  return from.starts_with("https://") && to.starts_with("http://");
}

// Runs for every hop: a redirect changes Host and (request-target), so each hop is re-signed.
// A hop that left https for http is not signed (a signed GET readable on the wire can be
// replayed); get() then refuses its answer.
// A plain function, never a lambda inside the coroutine (GCC 12 destroys its captures twice).
http::SignHook sign_hook(SigningKey key, Clock clock, std::shared_ptr<spdlog::logger> log,
                         bool https) {
  return [key = std::move(key), clock = std::move(clock), log = std::move(log), https](
             http::OutboundRequest& req, const boost::urls::url_view& hop) {
    auto target = http::target_of(hop);
    if (!target) return;
    if (https && !target->tls) {
      std::erase_if(req.headers, [](const auto& header) {
        return signatures::iequals(header.first, "Signature");
      });
      log->info("not signing the http hop {} of https {}", hop.buffer(), req.url);
      return;
    }
    signatures::HeaderList headers;
    for (const auto& [name, value] : req.headers) headers.add(name, value);
    signatures::CavageSignInput input{"GET",      target->path_and_query, target->authority,     "",
                                      key.key_id, key.private_pem,        to_time_point(clock())};
    if (auto signed_ok = signatures::sign_request(input, headers); !signed_ok) {
      log->warn("cannot sign GET {}: {}", req.url, signed_ok.error().message());
      return;
    }
    for (const auto& [name, value] : headers.entries()) req.set_header(name, value);
  };
}

}  // namespace

bool served_by_its_origin(std::string_view id, std::string_view requested,
                          std::string_view final_url) {
  if (final_url.empty() || final_url == requested) return id == requested;
  const auto id_origin = http::origin_of(id);
  return id_origin && id_origin == http::origin_of(final_url);
}

SignedFetcher::SignedFetcher(storage::Database& db, http::Transport& transport,
                             std::string instance_actor_id, Clock clock,
                             std::shared_ptr<spdlog::logger> log,
                             std::shared_ptr<const BlockList> blocks)
    : db_(db),
      transport_(transport),
      instance_actor_id_(std::move(instance_actor_id)),
      clock_(std::move(clock)),
      log_(std::move(log)),
      blocks_(std::move(blocks)) {}

boost::asio::awaitable<Result<http::OutboundResponse>> SignedFetcher::get(const std::string& url) {
  if (blocks_ && blocks_->blocks_url(url)) {
    log_->info("not fetching {}: its domain is blocked", url);
    co_return make_error_code(FederationError::blocked_domain);
  }
  http::OutboundRequest request;
  request.method = boost::beast::http::verb::get;
  request.url = url;
  request.set_header("Accept", std::string(kAcceptActivity));

  auto key = db_.read([&](storage::Connection& c) -> Result<SigningKey> {
    auto actor = storage::actors::find_by_uri(c, instance_actor_id_);
    if (!actor) return actor.error();
    if (!*actor) return make_error_code(storage::Errc::not_found);
    return load_signing_key(c, (*actor)->id);
  });
  if (key) {
    request.sign = sign_hook(*key, clock_, log_, url.starts_with("https://"));
  } else {
    log_->debug("no instance actor key ({}); fetching {} unsigned", key.error().message(), url);
  }

  auto response = co_await transport_.send(std::move(request));
  if (!response) {
    log_->info("fetch {} failed: {}", url, response.error().message());
    // Our own per-host cap stays recognisable: the inbox answers it 503 (retry), not 401.
    if (response.error() == http::HttpError::host_busy) co_return response.error();
    co_return make_error_code(FederationError::fetch_failed);
  }
  if (downgrades(url, response->final_url)) {
    log_->info("fetch {} was redirected to {}: refused", url, response->final_url);
    co_return make_error_code(FederationError::insecure_redirect);
  }
  if (blocks_ && blocks_->blocks_url(response->final_url)) {
    log_->info("fetch {} was redirected to the blocked {}", url, response->final_url);
    co_return make_error_code(FederationError::blocked_domain);
  }
  co_return std::move(*response);
}

}  // namespace civicpub::federation
