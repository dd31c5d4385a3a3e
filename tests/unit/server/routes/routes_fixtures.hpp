// A Router with the read routes over the stored world (a real in-memory Database and helpers to
// fill it), and helpers to send requests through the router without sockets.
#pragma once

#include "server/routes/actor_routes.hpp"
#include "server/routes/discovery_routes.hpp"
#include "server/routes/feed_routes.hpp"
#include "server/routes/post_routes.hpp"
#include "server/routes/thread_routes.hpp"
#include "tests/unit/server/views/stored_world.hpp"
#include "tests/unit/support/run.hpp"

#include <rapidjson/document.h>
#include <catch2/catch.hpp>

#include <memory>
#include <string>

namespace civicpub::server::routes::testing {

namespace bhttp = boost::beast::http;

using test::kDay;
inline constexpr storage::Millis kNow = test::kReadNow;

// The stored world (tests/unit/server/views/stored_world.hpp) with the read routes on top.
class ReadWorld : public test::StoredWorld {
 public:
  explicit ReadWorld(std::string handle_domain = {}) : StoredWorld(std::move(handle_domain)) {
    deps_ = std::make_unique<ReadDeps>(ReadDeps{db(), instance(), [this] { return now; }, nullptr});
    register_discovery_routes(router_, *deps_);
    register_actor_routes(router_, *deps_);
    register_post_routes(router_, *deps_);
    register_thread_routes(router_, *deps_);
    register_feed_routes(router_, *deps_);
  }

  // Sends GET `target` through the router. `accept` empty: no Accept header.
  http::Response get(const std::string& target, const std::string& accept = {},
                     const std::string& host = "social.town.example") {
    http::Request req{bhttp::verb::get, target, 11};
    if (!accept.empty()) req.set(bhttp::field::accept, accept);
    req.set(bhttp::field::host, host);
    const auto qmark = target.find('?');
    http::RequestContext ctx{req,
                             "127.0.0.1",
                             "https",
                             host,
                             target.substr(0, qmark),
                             qmark == std::string::npos ? "" : target.substr(qmark + 1),
                             {}};
    return test::run([&] { return router_.dispatch(ctx); });
  }

 private:
  std::unique_ptr<ReadDeps> deps_;
  http::Router router_;
};

inline constexpr const char* kAs2Accept = "application/activity+json";
inline constexpr const char* kLdAccept =
    R"(application/ld+json; profile="https://www.w3.org/ns/activitystreams")";
inline constexpr const char* kBrowserAccept =
    "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

inline rapidjson::Document json_of(const http::Response& res) {
  rapidjson::Document doc;
  doc.Parse(res.body().data(), res.body().size());
  REQUIRE_FALSE(doc.HasParseError());
  REQUIRE(doc.IsObject());
  return doc;
}

inline std::string str(const rapidjson::Value& v, const char* name) {
  REQUIRE(v.IsObject());
  auto it = v.FindMember(name);
  REQUIRE(it != v.MemberEnd());
  REQUIRE(it->value.IsString());
  return it->value.GetString();
}

inline std::uint64_t num(const rapidjson::Value& v, const char* name) {
  auto it = v.FindMember(name);
  REQUIRE(it != v.MemberEnd());
  REQUIRE(it->value.IsUint64());
  return it->value.GetUint64();
}

inline std::string header(const http::Response& res, bhttp::field f) {
  return std::string(res[f]);
}

inline bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

}  // namespace civicpub::server::routes::testing
