#include "server/routes/api_poll_routes.hpp"

#include "server/http/response.hpp"
#include "server/services/consultation_error.hpp"
#include "server/views/api_poll.hpp"
#include "server/views/api_reads.hpp"

#include <charconv>

namespace civicpub::server::routes {
namespace asio = boost::asio;
namespace bhttp = boost::beast::http;

namespace {

using services::ConsultationError;

http::Response unprocessable(std::string_view message) {
  return http::error_response(bhttp::status::unprocessable_entity, message);
}

// Mastodon's answers to a vote it refuses (its VoteValidator: 422 "Validation failed: ...").
std::optional<http::Response> refused_vote(const boost::system::error_code& ec) {
  if (ec == ConsultationError::vote_closed) {
    return unprocessable("Validation failed: The poll has already ended");
  }
  if (ec == ConsultationError::vote_unknown_option) {
    return unprocessable("Validation failed: The chosen vote option does not exist");
  }
  if (ec == ConsultationError::already_voted || ec == ConsultationError::one_choice_only) {
    return unprocessable("Validation failed: You have already voted on this poll");
  }
  if (ec == ConsultationError::vote_by_author) {
    return unprocessable("Validation failed: You cannot vote in your own polls");
  }
  if (ec == ConsultationError::not_a_poll) {
    return http::error_response(bhttp::status::not_found, "Record not found");
  }
  return std::nullopt;
}

// `choices[]` as positions; nullopt when one is no decimal number.
std::optional<std::vector<std::int64_t>> positions(const std::vector<std::string>& choices) {
  std::vector<std::int64_t> out;
  for (const auto& choice : choices) {
    std::int64_t value = 0;
    const auto* end = choice.data() + choice.size();
    auto [ptr, ec] = std::from_chars(choice.data(), end, value);
    if (ec != std::errc() || ptr != end || choice.empty()) return std::nullopt;
    out.push_back(value);
  }
  return out;
}

asio::awaitable<http::Response> get_poll(const ApiDeps& deps, http::RequestContext& ctx) {
  auto reader = optional_reader(deps, ctx);
  if (auto* res = std::get_if<http::Response>(&reader)) co_return std::move(*res);
  const auto& grant = std::get<std::optional<services::TokenGrant>>(reader);
  auto json = views::poll_json(deps.db, ctx.param("id"), api_view(deps, grant ? &*grant : nullptr));
  if (!json) co_return api_error(deps, ctx, json.error());
  co_return api_json(std::move(*json));
}

asio::awaitable<http::Response> vote(const ApiDeps& deps, http::RequestContext& ctx) {
  auto authorized = authorize(deps, ctx, "write:statuses");
  if (auto* res = std::get_if<http::Response>(&authorized)) co_return std::move(*res);
  const auto grant = std::get<services::TokenGrant>(std::move(authorized));
  auto params = Params::from(ctx);
  if (!params) co_return unprocessable("malformed request body");
  const auto choices = params->all("choices");
  if (choices.empty()) {
    co_return http::error_response(bhttp::status::bad_request,
                                   "param is missing or the value is empty: choices");
  }
  auto chosen = positions(choices);
  if (!chosen) co_return unprocessable("Validation failed: The chosen vote option does not exist");
  const auto view = api_view(deps, &grant);
  auto post = views::find_status(deps.db, ctx.param("id"), view);
  if (!post) co_return api_error(deps, ctx, post.error());
  if (!deps.poll_vote_service) {
    co_return http::error_response(bhttp::status::service_unavailable, "try again later");
  }
  auto service = deps.poll_vote_service();
  auto voting = service->vote_at(post->ap_id, grant.account->username, std::move(*chosen));
  auto outcome = co_await std::move(voting);
  if (!outcome) {
    if (auto refused = refused_vote(outcome.error())) co_return std::move(*refused);
    co_return api_error(deps, ctx, outcome.error());
  }
  if (outcome->deliveries > 0 && deps.wake_delivery) deps.wake_delivery();
  auto auditing = audit_write(deps, grant, "vote", post->ap_id);
  co_await std::move(auditing);
  auto json = views::poll_json(deps.db, ctx.param("id"), view);
  if (!json) co_return api_error(deps, ctx, json.error());
  co_return api_json(std::move(*json));
}

}  // namespace

void register_api_poll_routes(http::Router& router, const ApiDeps& deps) {
  const http::RouteOptions body{api_body_types()};
  const ApiDeps* d = &deps;
  router.add(bhttp::verb::get, "/api/v1/polls/{id}",
             [d](http::RequestContext& ctx) { return get_poll(*d, ctx); });
  router.add(bhttp::verb::post, "/api/v1/polls/{id}/votes",
             [d](http::RequestContext& ctx) { return vote(*d, ctx); }, body);
}

}  // namespace civicpub::server::routes
