// Routing: the input is "METHOD TARGET\nContent-Type", dispatched through a Router holding the
// patterns civicpub serves (server/routes), each answering 200.
#include "server/http/response.hpp"
#include "server/http/router.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace http = civicpub::server::http;
namespace bhttp = boost::beast::http;

// Every route's handler. Not in the anonymous namespace: clang 14 fails to emit the coverage
// table of a coroutine with internal linkage ("Cannot represent a difference across sections").
boost::asio::awaitable<http::Response> fuzz_route_ok(http::RequestContext&);
boost::asio::awaitable<http::Response> fuzz_route_ok(http::RequestContext&) {
  co_return http::json_response(bhttp::status::ok, "{}");
}

namespace {

const http::Router& router() {
  static const http::Router r = [] {
    http::Router built;
    const http::RouteOptions activity{{"application/activity+json", "application/ld+json"}};
    for (const char* pattern : {"/",
                                "/healthz",
                                "/users/{name}",
                                "/@{name}",
                                "/@{name}/{id}",
                                "/users/{name}/followers",
                                "/users/{name}/following",
                                "/users/{name}/outbox",
                                "/users/{name}/feed.atom",
                                "/users/{name}/statuses/{id}",
                                "/users/{name}/statuses/{id}/activity",
                                "/users/{name}/statuses/{id}/replies",
                                "/users/{name}/statuses/{id}/context",
                                "/users/{name}/statuses/{id}/likes",
                                "/users/{name}/statuses/{id}/shares",
                                "/remote/{id}",
                                "/.well-known/webfinger",
                                "/.well-known/host-meta",
                                "/.well-known/nodeinfo",
                                "/nodeinfo/2.0",
                                "/nodeinfo/2.1"}) {
      built.add(bhttp::verb::get, pattern, fuzz_route_ok);
    }
    built.add(bhttp::verb::post, "/inbox", fuzz_route_ok, activity);
    built.add(bhttp::verb::post, "/users/{name}/inbox", fuzz_route_ok, activity);
    return built;
  }();
  return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t space = input.find(' ');
  const std::size_t newline = input.find('\n');
  if (space == std::string_view::npos || space > newline) return 0;
  const std::string_view target = input.substr(space + 1, newline - space - 1);
  const bhttp::verb verb = bhttp::string_to_verb(input.substr(0, space));
  if (verb == bhttp::verb::unknown) return 0;  // the session's parser refuses these
  http::Request req;
  req.method(verb);
  req.target(target);
  if (newline != std::string_view::npos) {
    req.set(bhttp::field::content_type, input.substr(newline + 1));
  }
  http::RequestContext ctx{req, {}, "https", "town.example", {}, {}, {}};
  const std::size_t question = target.find('?');
  ctx.path = std::string(target.substr(0, question));
  if (question != std::string_view::npos) ctx.query = std::string(target.substr(question + 1));
  boost::asio::io_context io;
  boost::asio::co_spawn(io, router().dispatch(ctx), boost::asio::detached);
  io.run();
  return 0;
}
