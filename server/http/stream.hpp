// Long-lived event streams on the HTTP listener (the Mastodon streaming API, issue 13): a path
// registered in StreamRoutes (given to HttpServer::serve_streams) answers a GET either as server-sent events (a chunked
// text/event-stream body) or, when the request asks for a WebSocket upgrade, over a WebSocket on
// the same connection. The handler authenticates and returns an EventStream; the session only
// moves bytes, with deadlines:
// - every write has write_timeout (a consumer that stops reading is disconnected, so what it
//   does not read stays in the EventStream's bounded queue, which closes it when full);
// - a heartbeat from the EventStream becomes an SSE comment line (":thump") or a WebSocket ping;
// - WebSocket messages from the client (at most kMaxClientMessage bytes) go to received();
// - the stream ends when next() says so, when the client closes, or at shutdown.
#pragma once

#include "server/http/request.hpp"

#include <boost/asio/awaitable.hpp>

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <variant>

namespace civicpub::server::http {

enum class StreamTransport { event_stream, websocket };

struct StreamItem {
  enum class Kind { message, heartbeat, end };
  Kind kind = Kind::end;
  // message: a WebSocket text message, or SSE bytes ("event: ...\ndata: ...\n\n") sent as given.
  std::string text;
};

class EventStream {
 public:
  virtual ~EventStream() = default;
  // Waits for what to send next. Runs on the connection's strand; cancellable.
  virtual boost::asio::awaitable<StreamItem> next() = 0;
  // A text message from a WebSocket client.
  virtual void received(std::string_view text) = 0;
};

// The stream accepted. `subprotocol`: echoed in Sec-WebSocket-Protocol (browsers fail a WebSocket
// whose requested subprotocol the server does not select; Mastodon apps put the token there).
struct StreamStart {
  std::shared_ptr<EventStream> stream;
  std::string subprotocol;
};

// A refusal (401, 400...) is an ordinary Response, sent before any upgrade.
using StreamHandler = std::function<boost::asio::awaitable<std::variant<Response, StreamStart>>(
    RequestContext&, StreamTransport)>;

inline constexpr std::size_t kMaxClientMessage = 4096;

// The stream paths: exact paths (no parameters), GET only. The session looks a request up here
// before the Router; a stream path answers nothing else.
class StreamRoutes {
 public:
  void add(std::string path, StreamHandler handler) { routes_[std::move(path)] = std::move(handler); }
  const StreamHandler* find(const RequestContext& ctx) const {
    if (ctx.req.method() != boost::beast::http::verb::get) return nullptr;
    auto it = routes_.find(ctx.path);
    return it == routes_.end() ? nullptr : &it->second;
  }

 private:
  std::map<std::string, StreamHandler, std::less<>> routes_;
};

}  // namespace civicpub::server::http
