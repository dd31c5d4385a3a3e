#include "server/routes/streaming_routes.hpp"

#include "federation/as2/json.hpp"
#include "federation/as2/reader.hpp"
#include "server/http/response.hpp"

#include <boost/asio/this_coro.hpp>
#include <rapidjson/document.h>

namespace civicpub::server::routes {
namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using services::StreamName;
using StreamAnswer = std::variant<http::Response, http::StreamStart>;

namespace {

// Mastodon's streaming server answers these (status 400/401 in WebSocket error messages).
constexpr std::string_view kUnknownStream = "Unknown stream type";
constexpr std::string_view kMissingScopes = "Access token does not have the required scopes";

std::string error_message(std::string_view error, int status) {
  federation::as2::JsonWriter out;
  out.start_object();
  out.field("error", error);
  out.field("status", std::int64_t{status});
  out.end_object();
  return out.str();
}

std::string_view text_of(const rapidjson::Value& doc, const char* name) {
  auto it = doc.FindMember(name);
  if (it == doc.MemberEnd() || !it->value.IsString()) return {};
  return {it->value.GetString(), it->value.GetStringLength()};
}

// One open stream of the API: the hub's subscriber, and what the token may subscribe to.
class ApiEventStream final : public http::EventStream {
 public:
  ApiEventStream(std::shared_ptr<services::StreamSubscriber> sub, services::ScopeSet scopes)
      : sub_(std::move(sub)), scopes_(std::move(scopes)) {}
  ~ApiEventStream() override { sub_->close(); }

  asio::awaitable<http::StreamItem> next() override {
    auto got = co_await sub_->next();
    using K = services::StreamSubscriber::Next::Kind;
    http::StreamItem item;
    item.kind = got.kind == K::message     ? http::StreamItem::Kind::message
                : got.kind == K::heartbeat ? http::StreamItem::Kind::heartbeat
                                           : http::StreamItem::Kind::end;
    item.text = std::move(got.text);
    co_return item;
  }

  // {"type": "subscribe" | "unsubscribe", "stream": NAME, "tag": TAG}; anything else is answered
  // with an error message and the connection stays open.
  void received(std::string_view text) override {
    federation::as2::ParseLimits limits;
    limits.max_depth = 2;
    limits.max_members = 16;
    auto parsed = federation::as2::parse_json(text, limits);
    if (!parsed || !parsed->IsObject()) {
      sub_->send_raw(error_message("Malformed message", 400));
      return;
    }
    const auto type = text_of(*parsed, "type");
    if (type != "subscribe" && type != "unsubscribe") return;  // Mastodon ignores the rest too
    auto name = services::parse_stream_name(text_of(*parsed, "stream"), text_of(*parsed, "tag"));
    if (!name) {
      sub_->send_raw(error_message(kUnknownStream, 400));
      return;
    }
    if (type == "unsubscribe") {
      sub_->unsubscribe(*name);
    } else if (!scopes_.grants(name->scope())) {
      sub_->send_raw(error_message(kMissingScopes, 401));
    } else if (!sub_->subscribe(std::move(*name))) {
      sub_->send_raw(error_message("Too many subscriptions on this connection", 400));
    }
  }

 private:
  std::shared_ptr<services::StreamSubscriber> sub_;
  services::ScopeSet scopes_;
};

http::Response refusal(bhttp::status status, std::string_view message) {
  return http::error_response(status, message);
}

// Asked at every heartbeat (StreamSubscriber): the stream ends once the token is revoked or
// expired, or its account or staff grant is gone. A failing database keeps the stream.
std::function<bool()> token_check(const ApiDeps& deps, std::string token) {
  return [&deps, token = std::move(token)]() -> bool {
    auto grant = deps.oauth.authenticate_token(token);
    return grant || civicpub::kind_of(grant.error()) != civicpub::ErrorKind::unauthorized;
  };
}

struct StreamRequest {
  std::string token;
  std::string subprotocol;  // the token, when it came as Sec-WebSocket-Protocol
  std::optional<StreamName> name;
};

// The token and the stream asked for; `fixed` is the path's stream (empty: ?stream=).
std::variant<StreamRequest, http::Response> stream_request(const http::RequestContext& ctx,
                                                           http::StreamTransport transport,
                                                           std::string_view fixed) {
  auto params = Params::from_query(ctx.query);
  if (!params) return refusal(bhttp::status::bad_request, "malformed query");
  StreamRequest out;
  out.token = std::string(bearer_token(ctx));
  if (out.token.empty()) out.token = params->value("access_token");
  if (out.token.empty() && transport == http::StreamTransport::websocket) {
    out.subprotocol = std::string(ctx.header("Sec-WebSocket-Protocol").value_or(""));
    out.token = out.subprotocol;
  }
  const std::string stream = fixed.empty() ? params->value("stream") : std::string(fixed);
  if (stream.empty() && transport == http::StreamTransport::websocket) return out;
  out.name = services::parse_stream_name(stream, params->value("tag"));
  if (!out.name) return refusal(bhttp::status::bad_request, kUnknownStream);
  return out;
}

// The token's grant, or the 401 Mastodon's streaming server answers.
std::variant<services::TokenGrant, http::Response> authenticate(const ApiDeps& deps,
                                                                const std::string& token) {
  if (token.empty()) return refusal(bhttp::status::unauthorized, "Missing access token");
  auto grant = deps.oauth.authenticate_token(token);
  if (!grant) {
    if (civicpub::kind_of(grant.error()) != civicpub::ErrorKind::unauthorized) {
      return refusal(bhttp::status::service_unavailable, "try again later");
    }
    return refusal(bhttp::status::unauthorized, "Invalid access token");
  }
  if (!grant->account) return refusal(bhttp::status::unauthorized, "Invalid access token");
  return std::move(*grant);
}

struct StreamingDeps {
  const ApiDeps& api;
  services::StreamHub& hub;
};

asio::awaitable<StreamAnswer> open_stream(StreamingDeps deps, http::RequestContext& ctx,
                                          http::StreamTransport transport,
                                          std::string_view fixed) {
  auto asked = stream_request(ctx, transport, fixed);
  if (auto* res = std::get_if<http::Response>(&asked)) co_return std::move(*res);
  auto request = std::get<StreamRequest>(std::move(asked));
  auto authorized = authenticate(deps.api, request.token);
  if (auto* res = std::get_if<http::Response>(&authorized)) co_return std::move(*res);
  auto grant = std::get<services::TokenGrant>(std::move(authorized));
  if (request.name && !grant.scopes.grants(request.name->scope())) {
    co_return refusal(bhttp::status::unauthorized, kMissingScopes);
  }
  auto strand = co_await asio::this_coro::executor;
  const services::StreamOwner owner{grant.token.id, grant.account->id};
  const auto wire = transport == http::StreamTransport::websocket
                        ? services::StreamWire::websocket
                        : services::StreamWire::event_stream;
  auto opened = deps.hub.open(owner, wire, strand, token_check(deps.api, request.token));
  if (!opened) {
    co_return refusal(bhttp::status::too_many_requests, opened.error().message());
  }
  if (request.name) (*opened)->subscribe(std::move(*request.name));
  http::StreamStart start{std::make_shared<ApiEventStream>(*opened, std::move(grant.scopes)),
                          std::move(request.subprotocol)};
  co_return start;
}

http::StreamHandler stream_handler(StreamingDeps deps, std::string_view fixed) {
  return [deps, fixed](http::RequestContext& ctx, http::StreamTransport transport) {
    return open_stream(deps, ctx, transport, fixed);
  };
}

}  // namespace

void register_streaming_routes(http::Router& router, http::StreamRoutes& streams,
                               const ApiDeps& deps, services::StreamHub& hub) {
  const StreamingDeps d{deps, hub};
  static constexpr std::pair<const char*, const char*> kPaths[] = {
      {"/api/v1/streaming", ""},
      {"/api/v1/streaming/user", "user"},
      {"/api/v1/streaming/user/notification", "user:notification"},
      {"/api/v1/streaming/public", "public"},
      {"/api/v1/streaming/public/local", "public:local"},
      {"/api/v1/streaming/public/remote", "public:remote"},
      {"/api/v1/streaming/hashtag", "hashtag"},
      {"/api/v1/streaming/hashtag/local", "hashtag:local"},
  };
  for (const auto& [path, name] : kPaths) streams.add(path, stream_handler(d, name));
  router.add(bhttp::verb::get, "/api/v1/streaming/health",
             [](http::RequestContext&) -> asio::awaitable<http::Response> {
               http::Response res{bhttp::status::ok, 11};
               res.set(bhttp::field::content_type, "text/plain; charset=utf-8");
               res.body() = "OK";
               co_return res;
             });
}

}  // namespace civicpub::server::routes
