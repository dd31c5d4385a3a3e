#include "server/http/session.hpp"

#include "server/http/response.hpp"
#include "server/http/stream_session.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <array>
#include <chrono>
#include <string_view>
#include <type_traits>

#include <poll.h>

namespace civicpub::server::http::detail {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using asio::awaitable;
using Clock = std::chrono::steady_clock;
using namespace asio::experimental::awaitable_operators;

namespace {

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kFirstReadSize = 4096;
// An answer's body up to this size is copied behind its header and written with it (write_bytes);
// a bigger one is written by Beast's serializer from where it is.
constexpr std::size_t kCopiedBodyMax = 64 * 1024;
constexpr std::size_t kMaxDrainBytes = 256 * 1024;
constexpr auto kDrainTimeout = std::chrono::seconds(1);

// Everything one session needs besides the stream.
struct SessionEnv {
  std::shared_ptr<ServerState> state;
  std::shared_ptr<Connection> connection;
  boost::asio::ip::address peer;
  std::string peer_text;  // peer_text(peer), written once for the connection's requests
  std::string scheme;
};

// The answer to a request that failed to parse, or nullopt when the client just went away or
// missed a deadline (then nobody is there to read an answer).
std::optional<Response> rejection_for(const beast::error_code& ec) {
  if (ec == bhttp::error::body_limit) {
    return error_response(bhttp::status::payload_too_large, "request body too large");
  }
  if (ec == bhttp::error::header_limit) {
    return error_response(bhttp::status::request_header_fields_too_large,
                          "request header too large");
  }
  if (ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category() &&
      ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message) {
    return error_response(bhttp::status::bad_request, "malformed request");
  }
  return std::nullopt;
}

void access_log(const SessionEnv& env, std::string_view remote, std::string_view method,
                std::string_view target, const Response& res, Clock::time_point start) {
  if (!env.state->log->should_log(spdlog::level::info)) return;
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
  env.state->log->info("{} {} {} {} {} {}ms", remote, method, target, res.result_int(),
                       res.body().size(), ms);
}

// What a handler sees of `req`, after trusted-proxy handling.
RequestContext request_context(const SessionEnv& env, const Request& req) {
  const auto& st = *env.state;
  auto view = apply_forwarded(env.peer, env.peer_text, req.base(), st.trusted, env.scheme,
                              st.settings.default_host);
  std::string_view target = req.target();
  auto qmark = target.find('?');
  return RequestContext{
      req,
      std::move(view.remote_address),
      std::move(view.scheme),
      std::move(view.host),
      std::string(target.substr(0, qmark)),
      qmark == std::string_view::npos ? std::string{} : std::string(target.substr(qmark + 1)),
      {}};
}

// Routes one request; a handler exception becomes a 500 with the detail only in the log.
awaitable<Response> respond(const SessionEnv& env, const Request& req) {
  const auto& st = *env.state;
  auto ctx = request_context(env, req);
  std::string_view target = req.target();
  std::string failure;
  try {
    co_return co_await st.router.dispatch(ctx);
  } catch (const std::exception& e) {
    failure = e.what();
  } catch (...) {
    failure = "non-standard exception";
  }
  // Cancelled by respond_within (deadline, client gone): nobody reads this answer.
  if ((co_await asio::this_coro::cancellation_state).cancelled() != asio::cancellation_type::none) {
    co_return error_response(bhttp::status::service_unavailable, "request cancelled");
  }
  st.log->error("handler for {} {} from {} failed: {}", req.method_string(), target,
                ctx.remote_address, failure);
  co_return error_response(bhttp::status::internal_server_error, "internal error");
}

// True when the peer has shut down its sending side or the connection is broken. POLLRDHUP is
// reported even while unread bytes wait in the socket, which a peek for EOF cannot see past.
bool peer_hung_up(asio::ip::tcp::socket& socket) {
  pollfd p{};
  p.fd = socket.native_handle();
  p.events = POLLRDHUP;
  if (::poll(&p, 1, 0) <= 0) return false;
  return (p.revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0;
}

// Completes with true when the client closes the connection (FIN or reset) while its request is
// being handled; with false when cancelled (the handler finished first). It watches the TCP
// socket under the stream, plain or TLS, without reading from it: the session reads nothing while
// a handler runs. Bytes that arrive meanwhile (a pipelined request, or under TLS a close_notify,
// which TLS 1.3 encrypts like any record) stay unread for the session, and the socket is then
// looked at every kHangUpPoll for the peer's FIN.
constexpr auto kHangUpPoll = std::chrono::milliseconds(250);
awaitable<bool> client_gone(asio::ip::tcp::socket& socket) {
  auto [ec] = co_await socket.async_wait(asio::ip::tcp::socket::wait_read, kUseTuple);
  if (ec == asio::error::operation_aborted) co_return false;
  if (ec) co_return true;
  asio::steady_timer tick(co_await asio::this_coro::executor);
  for (;;) {
    if (peer_hung_up(socket)) co_return true;
    tick.expires_after(kHangUpPoll);
    auto [tick_ec] = co_await tick.async_wait(kUseTuple);
    if (tick_ec) co_return false;
  }
}

// Handles one request within settings.request_timeout, and gives up on it when the client goes
// away: the handler is cancelled (its fetches with it). nullopt: the client is gone.
awaitable<std::optional<Response>> respond_within(const SessionEnv& env, const Request& req,
                                                  asio::ip::tcp::socket& socket) {
  const auto timeout = env.state->settings.request_timeout;
  auto executor = co_await asio::this_coro::executor;
  asio::steady_timer deadline(executor, asio::steady_timer::time_point::max());
  if (timeout.count() > 0) deadline.expires_after(timeout);
  // Named awaitables, no temporaries in the co_await expression (GCC 12).
  auto handling = respond(env, req);
  auto expiring = deadline.async_wait(kUseTuple);
  auto leaving = client_gone(socket);
  auto raced = co_await (std::move(handling) || std::move(expiring) || std::move(leaving));
  if (raced.index() == 0) co_return std::move(std::get<0>(raced));
  if (raced.index() == 2 && std::get<2>(raced)) {
    env.state->log->info("{} {} from {}: client went away; handler cancelled", req.method_string(),
                         req.target(), env.peer.to_string());
    co_return std::nullopt;
  }
  env.state->log->warn("{} {} from {}: no answer within {} s; handler cancelled",
                       req.method_string(), req.target(), env.peer.to_string(), timeout.count());
  auto res = error_response(bhttp::status::service_unavailable, "request took too long");
  res.set(bhttp::field::retry_after, "60");
  co_return res;
}

// Waits until the next request starts arriving: read_timeout for a connection's first request
// (a client that connects and says nothing is not a keep-alive client), idle_timeout after.
template <class Stream>
awaitable<bool> await_request_start(Stream& stream, beast::flat_buffer& buffer,
                                    std::chrono::seconds timeout) {
  if (buffer.size() > 0) co_return true;  // pipelined bytes already here
  beast::get_lowest_layer(stream).expires_after(timeout);
  auto [ec, n] = co_await stream.async_read_some(buffer.prepare(kFirstReadSize), kUseTuple);
  if (ec) co_return false;
  buffer.commit(n);
  co_return true;
}

// Whether the next request's first bytes are here: in `buffer` or unread in the socket.
template <class Stream>
bool request_waiting(Stream& stream, const beast::flat_buffer& buffer) {
  if (buffer.size() > 0) return true;
  beast::error_code ec;
  const auto unread = beast::get_lowest_layer(stream).socket().available(ec);
  return !ec && unread > 0;
}

// Parses what `buffer` already holds. A request without a body (every GET) usually arrives whole
// in the read await_request_start made; it is then parsed here, without an asynchronous read and
// the timer that guards it (issue 15). Returns the error the parser found (the same async_read
// would give); success with parser.is_done() false means more bytes are needed.
beast::error_code parse_buffered(bhttp::request_parser<bhttp::string_body>& parser,
                                 beast::flat_buffer& buffer) {
  parser.eager(true);
  beast::error_code ec;
  while (buffer.size() > 0 && !parser.is_done()) {
    const auto used = parser.put(buffer.data(), ec);
    buffer.consume(used);
    if (ec == bhttp::error::need_more) return {};
    if (ec) return ec;
    if (used == 0) break;
  }
  return {};
}

// Writes `bytes`: on a plain TCP connection first straight into the socket, which takes an
// answer of a few KiB whole (then no asynchronous write and no timer is needed; issue 15); what
// the socket does not take, and everything on TLS, asynchronously within `timeout`. The socket
// is in non-blocking mode (run_session), so the first attempt never waits. False when the
// connection broke.
template <class Stream>
awaitable<bool> write_bytes(Stream& stream, std::string_view bytes, std::chrono::seconds timeout) {
  std::size_t sent = 0;
  if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
    beast::error_code ec;
    sent = stream.socket().write_some(asio::buffer(bytes), ec);
    if (ec == asio::error::would_block || ec == asio::error::try_again) {
      sent = 0;
    } else if (ec) {
      co_return false;
    }
    if (sent == bytes.size()) co_return true;
  }
  beast::get_lowest_layer(stream).expires_after(timeout);
  auto [ec, n] = co_await asio::async_write(stream, asio::buffer(bytes.substr(sent)), kUseTuple);
  co_return !ec;
}

// How a connection's request loop ended.
enum class Ending {
  broken,   // timeout, reset, write failure: just close
  done,     // every request read and answered: close (TLS: close_notify first)
  rejected  // answered without reading the whole request: linger before closing
};

// The request loop.
template <class Stream>
awaitable<Ending> serve_requests(Stream& stream, SessionEnv& env, const std::string& remote) {
  const auto& settings = env.state->settings;
  auto& tcp = beast::get_lowest_layer(stream);
  beast::flat_buffer buffer;
  for (bool first = true;; first = false) {
    env.connection->busy = false;
    // Stopping: a request that has already arrived is still answered (Connection: close), as
    // close_if_idle leaves it; a connection with nothing waiting ends here.
    if (env.state->stopping && !request_waiting(stream, buffer)) co_return Ending::done;
    auto wait = first ? settings.read_timeout : settings.idle_timeout;
    env.connection->awaiting_request = true;
    const bool started = co_await await_request_start(stream, buffer, wait);
    env.connection->awaiting_request = false;
    if (!started) co_return Ending::broken;
    env.connection->busy = true;
    const auto start = Clock::now();

    bhttp::request_parser<bhttp::string_body> parser;  // a new parser per request (limits reset)
    parser.header_limit(static_cast<std::uint32_t>(settings.header_limit));
    parser.body_limit(settings.body_limit);
    auto rec = parse_buffered(parser, buffer);
    if (!rec && !parser.is_done()) {
      tcp.expires_after(settings.read_timeout);
      auto [aec, an] = co_await bhttp::async_read(stream, buffer, parser, kUseTuple);
      rec = aec;
    }
    if (rec) {
      auto rejection = rejection_for(rec);
      if (!rejection) co_return Ending::broken;
      rejection->keep_alive(false);
      rejection->prepare_payload();
      tcp.expires_after(settings.write_timeout);
      auto [wec, wn] = co_await bhttp::async_write(stream, *rejection, kUseTuple);
      const auto& head = parser.get();
      access_log(env, remote, parser.is_header_done() ? head.method_string() : "-",
                 parser.is_header_done() ? head.target() : "-", *rejection, start);
      co_return wec ? Ending::broken : Ending::rejected;
    }

    Request req = parser.release();
    auto stream_ctx = request_context(env, req);
    const auto* handler = env.state->streams ? env.state->streams->find(stream_ctx) : nullptr;
    if (handler) {
      // A stream has the connection to itself until it ends; the connection is not reused.
      const StreamEnv stream_env{*env.state, *env.connection, remote};
      co_await serve_stream(stream, stream_env, req, stream_ctx, *handler);
      co_return Ending::broken;
    }
    // A document the cache holds fresh is answered at once (document_cache.hpp): to the common
    // request (HTTP/1.1, keep-alive) with the stored bytes themselves. Everything else goes
    // through the router within the request deadline.
    const auto cached = env.state->router.cached(stream_ctx);
    if (cached && req.version() == 11 && req.keep_alive() && !env.state->stopping) {
      const bool written = co_await write_bytes(stream, cached->wire, settings.write_timeout);
      access_log(env, remote, req.method_string(), req.target(), cached->response, start);
      if (!written) co_return Ending::broken;
      continue;
    }
    std::optional<Response> answered;
    if (cached) answered = cached->response;
    if (!answered) {
      auto fresh = co_await respond_within(env, req, beast::get_lowest_layer(stream).socket());
      if (!fresh) co_return Ending::broken;
      answered = std::move(fresh);
    }
    Response res = std::move(*answered);
    const bool keep_alive = req.keep_alive() && !env.state->stopping;
    res.version(req.version());
    res.keep_alive(keep_alive);
    const bool head = req.method() == bhttp::verb::head;
    if (!head) res.prepare_payload();  // HEAD keeps GET's length
    bool written = false;
    if (!head && res.body().size() <= kCopiedBodyMax) {
      const std::string wire = serialize(res);  // named: no temporary across the co_await
      written = co_await write_bytes(stream, wire, settings.write_timeout);
    } else {  // HEAD as before, and a big body written from where it is, not copied
      tcp.expires_after(settings.write_timeout);
      auto [wec, wn] = co_await bhttp::async_write(stream, res, kUseTuple);
      written = !wec;
    }
    access_log(env, remote, req.method_string(), req.target(), res, start);
    if (!written) co_return Ending::broken;
    if (!keep_alive) co_return Ending::done;
  }
}

// After an answer we may not have read the whole request (a 413): closing with unread bytes makes
// the kernel send RST, which can destroy the answer before the client reads it. Half-close, then
// read and discard briefly, so the client sees the response and then EOF.
awaitable<void> linger_and_close(beast::tcp_stream& tcp) {
  beast::error_code ec;
  tcp.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ec);
  tcp.expires_after(kDrainTimeout);
  std::array<char, 4096> sink;
  for (std::size_t drained = 0; !ec && drained < kMaxDrainBytes;) {
    auto [rec, n] = co_await tcp.async_read_some(asio::buffer(sink), kUseTuple);
    ec = rec;
    drained += n;
  }
  tcp.close();
}

awaitable<void> serve_tls(beast::tcp_stream tcp, SessionEnv& env, const std::string& remote) {
  beast::ssl_stream<beast::tcp_stream> stream(std::move(tcp), *env.state->tls);
  env.connection->tcp = &beast::get_lowest_layer(stream);
  beast::get_lowest_layer(stream).expires_after(env.state->settings.read_timeout);
  auto [hec] = co_await stream.async_handshake(asio::ssl::stream_base::server, kUseTuple);
  if (hec) {
    env.state->log->debug("TLS handshake with {} failed: {}", remote, hec.message());
  } else if (co_await serve_requests(stream, env, remote) != Ending::broken) {
    beast::get_lowest_layer(stream).expires_after(env.state->settings.write_timeout);
    // A peer that closes without close_notify gives stream_truncated: expected, not an error.
    auto [sec] = co_await stream.async_shutdown(kUseTuple);
    (void)sec;
  }
  env.connection->tcp = nullptr;
  beast::get_lowest_layer(stream).close();
}

// Runs when the session frame goes, however it goes (return, exception, cancellation).
struct Deregister {
  std::shared_ptr<ServerState> state;
  std::shared_ptr<Connection> connection;
  ~Deregister() {
    connection->tcp = nullptr;
    asio::post(state->strand, [s = state, c = connection] { s->connections.remove(c); });
  }
};

}  // namespace

awaitable<void> run_session(std::shared_ptr<ServerState> state,
                            std::shared_ptr<Connection> connection, asio::ip::tcp::socket socket) {
  Deregister deregister{state, connection};
  // Cancellation (shutdown after the grace period) should make pending operations fail with
  // operation_aborted, which every step here handles, rather than throw.
  co_await asio::this_coro::throw_if_cancelled(false);

  beast::error_code ec;
  auto endpoint = socket.remote_endpoint(ec);
  if (ec) co_return;  // the client already left
  SessionEnv env{state, connection, endpoint.address(), peer_text(endpoint.address()),
                 state->tls ? "https" : "http"};
  const std::string remote = endpoint.address().to_string();

  // Synchronous operations on the socket must never wait (write_bytes); asynchronous ones are
  // unaffected by this flag.
  socket.non_blocking(true, ec);
  if (ec) co_return;
  beast::tcp_stream tcp(std::move(socket));
  if (state->tls) {
    co_await serve_tls(std::move(tcp), env, remote);
    co_return;
  }
  connection->tcp = &tcp;
  const Ending ending = co_await serve_requests(tcp, env, remote);
  connection->tcp = nullptr;
  if (ending == Ending::rejected) {
    co_await linger_and_close(tcp);
  } else {
    beast::error_code ignored;
    tcp.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    tcp.close();
  }
}

}  // namespace civicpub::server::http::detail
