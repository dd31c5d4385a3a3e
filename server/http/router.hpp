// Maps method + path to a handler. Handlers are plumbing around one call (STYLE.md rule 2); they
// never see sockets. Example:
//
//   Router router;
//   router.add(verb::get, "/users/{name}", actor_handler);
//   router.add(verb::post, "/users/{name}/inbox", inbox_handler,
//              {.accepted_content_types = {"application/activity+json", "application/ld+json"}});
//
// Matching: the path (request-target before '?') is split at '/', and each segment must equal the
// pattern's literal segment or fill a `{param}` segment (non-empty; percent-decoded into
// ctx.params). A segment may also be a literal prefix and a parameter, "/@{name}": it matches a
// segment starting with the (raw) prefix followed by at least one character, and the parameter
// gets the rest, so "/@alice" fills name = "alice". Segments are compared raw, so "/users/alice/"
// does not match "/users/{name}". When several routes match, the one with the most literal
// segments wins (a prefixed parameter counts as literal: "/@{name}" beats "/{page}"; and
// "/users/featured" beats "/users/{name}"), then the one added first.
// - no route matches the path:        404 {"error": "not found"}
// - path matches, method does not:    405 with Allow listing the methods (HEAD where GET is)
// - HEAD:                             the GET handler runs; its body is dropped, its length kept
// - accepted_content_types non-empty and the Content-Type's type/subtype not in it: 415
#pragma once

#include "server/http/document_cache.hpp"
#include "server/http/request.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/verb.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace civicpub::server::http {

using Handler = std::function<boost::asio::awaitable<Response>(RequestContext&)>;

struct RouteOptions {
  // Media types ("type/subtype", parameters ignored, case-insensitive) accepted in Content-Type.
  // Empty: any or none. Set it for every route taking a body (POST); others get 415.
  std::vector<std::string> accepted_content_types;
  // The route's 200 JSON and HTML answers may be served again from the DocumentCache until the
  // database changes (document_cache.hpp). Only for answers that depend on nothing but the
  // request-target, Accept, host and the database: never for answers to signed or logged-in readers
  // (the cache skips those itself), and never for routes with side effects.
  bool cache_documents = false;
};

class Router {
 public:
  // Registers a handler. Throws std::invalid_argument for a malformed pattern (start-up bug).
  void add(boost::beast::http::verb verb, std::string_view pattern, Handler handler,
           RouteOptions options = {});

  // Finds the route for ctx.path and ctx.req.method(), fills ctx.params and runs the handler, or
  // answers 404/405/415 itself. Exceptions from handlers propagate (the session turns them into
  // 500). Never reads ctx.query.
  boost::asio::awaitable<Response> dispatch(RequestContext& ctx) const;

  // Lets routes with cache_documents store their answers in `cache` (null: none). The cache must
  // outlive the Router.
  void use_document_cache(DocumentCache* cache) { cache_ = cache; }
  // The answer to `ctx` from the document cache, when it holds a fresh one; the session asks
  // before routing (a hit skips the router, the handler and its deadline).
  std::shared_ptr<const CachedDocument> cached(const RequestContext& ctx) const;

 private:
  struct Segment {
    std::string text;  // the literal, or the parameter's name
    bool is_param = false;
    std::string prefix;  // a parameter's literal prefix ("@" in "@{name}"); usually empty
  };
  struct Route {
    boost::beast::http::verb verb;
    std::vector<Segment> segments;
    int literal_count = 0;
    Handler handler;
    RouteOptions options;
  };

  static std::vector<Segment> parse_pattern(std::string_view pattern);
  static bool match(const Route& route, const std::vector<std::string_view>& path,
                    std::unordered_map<std::string, std::string>* params);
  static bool content_type_accepted(const RouteOptions& options, const Request& req);

  std::vector<Route> routes_;
  DocumentCache* cache_ = nullptr;
};

}  // namespace civicpub::server::http
