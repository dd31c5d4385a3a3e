#include "federation/remote/signed_fetch.hpp"

#include "federation/federation_error.hpp"
#include "federation/http/url_target.hpp"
#include "federation/signatures/cavage_signer.hpp"
#include "federation/keys/signing_key.hpp"
#include "storage/actors.hpp"
#include "storage/errors.hpp"

#include <chrono>

namespace civicpub::federation {
namespace {

constexpr std::string_view kAcceptActivity = "application/activity+json";

std::chrono::system_clock::time_point to_time_point(storage::Millis ms) {
  return std::chrono::system_clock::time_point(std::chrono::milliseconds(ms));
}

// Runs for every hop: a redirect changes Host and (request-target), so each hop is re-signed.
// A plain function, never a lambda inside the coroutine (GCC 12 destroys its captures twice).
http::SignHook sign_hook(SigningKey key, Clock clock, std::shared_ptr<spdlog::logger> log) {
  return [key = std::move(key), clock = std::move(clock), log = std::move(log)](
             http::OutboundRequest& req, const boost::urls::url_view& hop) {
    auto target = http::target_of(hop);
    if (!target) return;
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

SignedFetcher::SignedFetcher(storage::Database& db, http::Transport& transport,
                             std::string instance_actor_id, Clock clock,
                             std::shared_ptr<spdlog::logger> log)
    : db_(db),
      transport_(transport),
      instance_actor_id_(std::move(instance_actor_id)),
      clock_(std::move(clock)),
      log_(std::move(log)) {}

boost::asio::awaitable<Result<http::OutboundResponse>> SignedFetcher::get(const std::string& url) {
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
    request.sign = sign_hook(*key, clock_, log_);
  } else {
    log_->debug("no instance actor key ({}); fetching {} unsigned", key.error().message(), url);
  }

  auto response = co_await transport_.send(std::move(request));
  if (!response) {
    log_->info("fetch {} failed: {}", url, response.error().message());
    co_return make_error_code(FederationError::fetch_failed);
  }
  co_return std::move(*response);
}

}  // namespace civicpub::federation
