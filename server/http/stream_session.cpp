#include "server/http/stream_session.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/chunk_encode.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <chrono>

namespace civicpub::server::http::detail {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace websocket = beast::websocket;
using asio::awaitable;
using namespace asio::experimental::awaitable_operators;

namespace {

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);
// A WebSocket client that sends nothing, not even a pong to our pings, for this long is gone
// (Beast pings on its own at half of it; our heartbeats ping too). It also ends a connection
// whose reader stopped reading: our pings then stay behind the unsent data and nothing comes back.
constexpr auto kWebSocketIdle = std::chrono::seconds(30);
// Mastodon's streaming server opens an event stream with a comment and keeps it alive with
// ":thump" comments; clients skip lines starting with ':'.
constexpr std::string_view kSseOpening = ":)\n";
constexpr std::string_view kSseHeartbeat = ":thump\n";

template <class Stream>
awaitable<void> refuse(Stream& stream, StreamEnv env, const Request& req, Response res) {
  res.version(req.version());
  res.keep_alive(false);
  res.prepare_payload();
  beast::get_lowest_layer(stream).expires_after(env.state.settings.write_timeout);
  auto [ec, n] = co_await bhttp::async_write(stream, res, kUseTuple);
  env.state.log->info("{} {} {} {} {}", env.remote, req.method_string(), req.target(),
                      res.result_int(), ec ? "(write failed)" : "");
}

template <class Stream>
awaitable<bool> write_chunk(Stream& stream, StreamEnv env, std::string_view text) {
  beast::get_lowest_layer(stream).expires_after(env.state.settings.write_timeout);
  auto chunk = bhttp::make_chunk(asio::buffer(text.data(), text.size()));
  auto [ec, n] = co_await asio::async_write(stream, chunk, kUseTuple);
  co_return !ec;
}

// Server-sent events: a chunked text/event-stream body, one chunk per message or heartbeat.
template <class Stream>
awaitable<void> serve_events(Stream& stream, StreamEnv env, const Request& req,
                             EventStream& events) {
  bhttp::response<bhttp::empty_body> head{bhttp::status::ok, req.version()};
  head.set(bhttp::field::content_type, "text/event-stream");
  head.set(bhttp::field::cache_control, "no-store");
  head.set("X-Accel-Buffering", "no");  // nginx: pass each event on at once
  head.keep_alive(false);
  head.chunked(true);
  bhttp::response_serializer<bhttp::empty_body> serializer{head};
  beast::get_lowest_layer(stream).expires_after(env.state.settings.write_timeout);
  auto [hec, hn] = co_await bhttp::async_write_header(stream, serializer, kUseTuple);
  if (hec) co_return;
  auto opened = co_await write_chunk(stream, env, kSseOpening);
  if (!opened) co_return;
  for (;;) {
    auto item = co_await events.next();
    if (item.kind == StreamItem::Kind::end || env.state.stopping) break;
    const std::string_view text =
        item.kind == StreamItem::Kind::message ? std::string_view(item.text) : kSseHeartbeat;
    auto written = co_await write_chunk(stream, env, text);
    if (!written) co_return;
  }
  beast::get_lowest_layer(stream).expires_after(env.state.settings.write_timeout);
  auto last = bhttp::make_chunk_last();
  auto [lec, ln] = co_await asio::async_write(stream, last, kUseTuple);
  (void)lec;
}

template <class Socket>
awaitable<void> read_messages(Socket& ws, EventStream& events) {
  // Cancelled when the writer ends first: finish quietly instead of throwing.
  co_await asio::this_coro::throw_if_cancelled(false);
  for (;;) {
    beast::flat_buffer buffer;
    auto [ec, n] = co_await ws.async_read(buffer, kUseTuple);
    if (ec) co_return;
    if (ws.got_text()) events.received(beast::buffers_to_string(buffer.data()));
  }
}

template <class Socket>
awaitable<void> write_messages(Socket& ws, StreamEnv env, EventStream& events) {
  co_await asio::this_coro::throw_if_cancelled(false);
  for (;;) {
    auto item = co_await events.next();
    if (item.kind == StreamItem::Kind::end || env.state.stopping) break;
    if (item.kind == StreamItem::Kind::heartbeat) {
      auto [pec] = co_await ws.async_ping({}, kUseTuple);
      if (pec) co_return;
      continue;
    }
    ws.text(true);
    auto [wec, wn] = co_await ws.async_write(asio::buffer(item.text), kUseTuple);
    if (wec) co_return;
  }
  // The reader ended first (the client closed or went away): nobody to say goodbye to.
  auto state = co_await asio::this_coro::cancellation_state;
  if (state.cancelled() != asio::cancellation_type::none) co_return;
  auto [cec] = co_await ws.async_close(websocket::close_code::normal, kUseTuple);
  (void)cec;
}

// Built outside the coroutine (GCC 12 and by-value captures in coroutine bodies).
websocket::stream_base::decorator subprotocol_decorator(std::string subprotocol) {
  return websocket::stream_base::decorator(
      [subprotocol = std::move(subprotocol)](websocket::response_type& res) {
        if (!subprotocol.empty()) res.set(bhttp::field::sec_websocket_protocol, subprotocol);
      });
}

websocket::stream_base::timeout websocket_timeouts(const ServerSettings& settings) {
  websocket::stream_base::timeout t{};
  t.handshake_timeout = settings.write_timeout;
  t.idle_timeout = kWebSocketIdle;
  t.keep_alive_pings = true;
  return t;
}

template <class Stream>
awaitable<void> serve_websocket(Stream& stream, StreamEnv env, const Request& req,
                                StreamStart start) {
  websocket::stream<Stream&> ws(stream);
  beast::get_lowest_layer(stream).expires_never();  // the WebSocket keeps its own timeouts
  ws.set_option(websocket_timeouts(env.state.settings));
  ws.set_option(subprotocol_decorator(start.subprotocol));
  ws.read_message_max(kMaxClientMessage);
  auto [aec] = co_await ws.async_accept(req, kUseTuple);
  if (aec) co_return;
  auto reading = read_messages(ws, *start.stream);
  auto writing = write_messages(ws, env, *start.stream);
  co_await (std::move(reading) || std::move(writing));
}

template <class Stream>
awaitable<void> serve(Stream& stream, StreamEnv env, const Request& req, RequestContext& ctx,
                      const StreamHandler& handler) {
  const auto transport = websocket::is_upgrade(req) ? StreamTransport::websocket
                                                    : StreamTransport::event_stream;
  auto handling = handler(ctx, transport);
  auto answer = co_await std::move(handling);
  if (auto* refusal = std::get_if<Response>(&answer)) {
    co_await refuse(stream, env, req, std::move(*refusal));
    co_return;
  }
  auto start = std::get<StreamStart>(std::move(answer));
  const auto opened = std::chrono::steady_clock::now();
  // A stream waits for events most of the time: shutdown closes it at once instead of waiting
  // out the grace period for it.
  env.connection.busy = false;
  if (transport == StreamTransport::websocket) {
    co_await serve_websocket(stream, env, req, std::move(start));
  } else {
    co_await serve_events(stream, env, req, *start.stream);
  }
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(
                           std::chrono::steady_clock::now() - opened)
                           .count();
  env.state.log->info("{} {} {} stream ({}) closed after {}s", env.remote, req.method_string(),
                      ctx.path,
                      transport == StreamTransport::websocket ? "websocket" : "event-stream",
                      seconds);
}

}  // namespace

awaitable<void> serve_stream(beast::tcp_stream& stream, StreamEnv env, const Request& req,
                             RequestContext& ctx, const StreamHandler& handler) {
  co_await serve(stream, env, req, ctx, handler);
}

awaitable<void> serve_stream(beast::ssl_stream<beast::tcp_stream>& stream, StreamEnv env,
                             const Request& req, RequestContext& ctx,
                             const StreamHandler& handler) {
  co_await serve(stream, env, req, ctx, handler);
}

}  // namespace civicpub::server::http::detail
