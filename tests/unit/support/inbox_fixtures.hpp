// A small federation world for the inbox tests: an in-memory database with a local account and an
// instance actor, a fake Transport serving canned actor documents, remote key pairs, and helpers
// that sign requests the way Mastodon (draft-cavage) and Fedify (RFC 9421) do.
#pragma once

#include "federation/remote/actor_resolver.hpp"
#include "federation/crypto/rsa_key.hpp"
#include "federation/http/url_target.hpp"
#include "federation/inbox/inbox.hpp"
#include "federation/inbox/inbox_worker.hpp"
#include "federation/signatures/cavage_signer.hpp"
#include "federation/signatures/message_signature_signer.hpp"
#include "storage/actors.hpp"
#include "storage/database.hpp"
#include "storage/local_keys.hpp"

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include <map>
#include <sstream>

// Catch would print results with Boost's operator<<, which needs T printable; show the error.
namespace Catch {
template <class T>
struct StringMaker<boost::system::result<T, boost::system::error_code>> {
  static std::string convert(const boost::system::result<T, boost::system::error_code>& r) {
    return r ? std::string("(value)") : "(error: " + r.error().message() + ")";
  }
};
}  // namespace Catch

namespace civicpub::test {

namespace asio = boost::asio;

inline constexpr storage::Millis kNow = 1767225600000;  // 2026-01-01T00:00:00Z

// Serves canned answers by URL and records every request (with the headers its SignHook set).
class FakeTransport : public federation::http::Transport {
 public:
  struct Canned {
    unsigned status = 200;
    std::string body;
  };
  std::map<std::string, Canned> answers;
  std::vector<federation::http::OutboundRequest> requests;

  int fetches(const std::string& url) const {
    int n = 0;
    for (const auto& r : requests) n += r.url == url;
    return n;
  }

  asio::awaitable<Result<federation::http::OutboundResponse>> send(
      federation::http::OutboundRequest request) override {
    if (request.sign) {
      auto url = federation::http::parse_absolute_url(request.url);
      REQUIRE(url);
      auto target = federation::http::target_of(*url);
      request.set_header("Host", target->authority);
      request.sign(request, *url);
    }
    requests.push_back(request);
    federation::http::OutboundResponse response;
    response.final_url = request.url;
    auto it = answers.find(request.url);
    if (it == answers.end()) {
      response.status = 404;
    } else {
      response.status = it->second.status;
      response.body = it->second.body;
    }
    co_return response;
  }
};

struct RemoteActor {
  std::string uri;
  std::string key_id;
  federation::crypto::RsaKeyPair keys;
};

inline std::string json_escape_pem(const std::string& pem) {
  std::string out;
  for (char c : pem) {
    if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

// An actor document as Mastodon serves it.
inline std::string actor_document(const std::string& id, const std::string& public_pem,
                                  const std::string& name = "Anna",
                                  const std::string& key_id = {}) {
  const std::string host = id.substr(0, id.find('/', 8));
  return R"({"@context":["https://www.w3.org/ns/activitystreams","https://w3id.org/security/v1"],)"
         R"("id":")" +
         id + R"(","type":"Person","preferredUsername":"anna","name":")" + name +
         R"(","summary":"<p>hi</p><script>x()</script>","inbox":")" + id + R"(/inbox","outbox":")" +
         id + R"(/outbox","followers":")" + id + R"(/followers","endpoints":{"sharedInbox":")" +
         host + R"(/inbox"},"publicKey":{"id":")" + (key_id.empty() ? id + "#main-key" : key_id) +
         R"(","owner":")" + id + R"(","publicKeyPem":")" + json_escape_pem(public_pem) + R"("}})";
}

struct World {
  std::ostringstream log_text;
  std::shared_ptr<spdlog::logger> log = std::make_shared<spdlog::logger>(
      "inbox-test", std::make_shared<spdlog::sinks::ostream_sink_st>(log_text));
  std::unique_ptr<storage::Database> db;
  FakeTransport transport;
  federation::as2::InstanceInfo instance;
  storage::Millis now = kNow;
  federation::Clock clock = [this] { return now; };
  std::unique_ptr<federation::ActorResolver> resolver;
  std::unique_ptr<federation::Inbox> inbox;
  storage::ActorRecord local;  // https://town.example/users/gemeente
  int enqueued_calls = 0;
  int worker_woken = 0;  // the Inbox's wake-ups of its worker

  explicit World(federation::InboxSettings settings = {}, bool manual = false) {
    log->set_level(spdlog::level::debug);
    auto opened = storage::Database::open({});
    REQUIRE(opened);
    db = std::move(*opened);
    instance.base_url = "https://town.example";
    instance.host = "town.example";
    instance.instance_actor_id = "https://town.example/actor";
    add_local("actor", "Application", false);
    local = add_local("gemeente", "Organization", manual);
    resolver = std::make_unique<federation::ActorResolver>(
        *db, transport, instance, clock, federation::ActorResolverSettings{}, log);
    inbox = std::make_unique<federation::Inbox>(*db, *resolver, instance, clock, settings, log,
                                                [this] { ++worker_woken; });
  }

  storage::ActorRecord add_local(const std::string& name, const std::string& type, bool manual) {
    storage::ActorRecord a;
    a.uri = name == "actor" ? "https://town.example/actor" : "https://town.example/users/" + name;
    a.local = true;
    a.type = type;
    a.username = name;
    a.domain = "town.example";
    a.inbox = a.uri + "/inbox";
    a.shared_inbox = "https://town.example/inbox";
    a.key_id = a.uri + "#main-key";
    auto keys = federation::crypto::generate_rsa_key_pair(2048);
    a.public_key_pem = keys.public_pem;
    a.manually_approves_followers = manual;
    a.created_at = a.updated_at = kNow;
    auto id = db->write_sync([&](storage::Connection& c) -> Result<std::int64_t> {
      auto inserted = storage::actors::insert_local(c, a);
      if (!inserted) return inserted;
      auto key =
          storage::local_keys::insert(c, {*inserted, keys.private_pem, keys.public_pem, kNow});
      if (!key) return key.error();
      return inserted;
    });
    REQUIRE(id);
    a.id = *id;
    return a;
  }

  // A remote actor whose document the fake transport serves.
  RemoteActor remote(const std::string& uri, bool serve = true) {
    RemoteActor r{uri, uri + "#main-key", federation::crypto::generate_rsa_key_pair(2048)};
    if (serve) transport.answers[uri] = {200, actor_document(uri, r.keys.public_pem)};
    return r;
  }

  // A POST signed like Mastodon does (draft-cavage, Digest, Date).
  federation::InboundRequest cavage_post(
      const RemoteActor& signer, const std::string& body,
      const std::string& target = "/users/gemeente/inbox",
      const std::string& content_type = "application/activity+json") {
    federation::InboundRequest in;
    in.method = "POST";
    in.target = target;
    in.body = body;
    in.peer = "192.0.2.7";
    in.headers.add("Content-Type", content_type);
    federation::signatures::CavageSignInput input{
        "POST", target, "town.example", body, signer.key_id, signer.keys.private_pem, time_point()};
    REQUIRE(federation::signatures::sign_request(input, in.headers));
    return in;
  }

  // A POST signed like Fedify's first knock (RFC 9421).
  federation::InboundRequest rfc9421_post(const RemoteActor& signer, const std::string& body,
                                          const std::string& target = "/inbox") {
    federation::InboundRequest in;
    in.method = "POST";
    in.target = target;
    in.body = body;
    in.headers.add("Content-Type", "application/activity+json");
    federation::signatures::MessageSignInput input{
        "POST",      target,        {"https", "town.example"},
        body,        signer.key_id, signer.keys.private_pem,
        time_point()};
    REQUIRE(federation::signatures::sign_message(input, in.headers));
    return in;
  }

  std::chrono::system_clock::time_point time_point() const {
    return std::chrono::system_clock::time_point(std::chrono::milliseconds(now));
  }

  // Runs one coroutine to completion on a fresh io_context.
  template <class F>
  auto run(F make_op) {
    using T = typename std::invoke_result_t<F>::value_type;
    asio::io_context ioc;
    std::optional<T> value;
    std::exception_ptr error;
    asio::co_spawn(ioc, std::move(make_op), [&](std::exception_ptr e, T v) {
      error = e;
      if (!e) value.emplace(std::move(v));
    });
    ioc.run();
    if (error) std::rethrow_exception(error);
    REQUIRE(value);
    return std::move(*value);
  }

  Result<federation::InboxAccepted> accept(const federation::InboundRequest& request) {
    return run([&]() { return inbox->accept(request); });
  }

  template <class F>
  auto read(F fn) {
    auto r = db->read(fn);
    REQUIRE(r);
    return std::move(*r);
  }
};

inline std::string follow_json(const std::string& id, const std::string& actor,
                               const std::string& object) {
  return R"({"@context":"https://www.w3.org/ns/activitystreams","id":")" + id +
         R"(","type":"Follow","actor":")" + actor + R"(","object":")" + object + R"("})";
}

}  // namespace civicpub::test
