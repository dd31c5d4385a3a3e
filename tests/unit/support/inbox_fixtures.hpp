// The test world of the federation and inbound tests: an in-memory database with a local account
// (gemeente) and an instance actor, the fake Transport serving the named remote actors'
// documents (actors.hpp), and helpers that sign requests the way Mastodon (draft-cavage) and
// Fedify (RFC 9421) do.
#pragma once

#include "federation/inbox/inbox.hpp"
#include "federation/inbox/inbox_worker.hpp"
#include "federation/remote/actor_resolver.hpp"
#include "federation/signatures/cavage_signer.hpp"
#include "federation/signatures/message_signature_signer.hpp"
#include "storage/actors.hpp"
#include "storage/database.hpp"
#include "tests/unit/support/actors.hpp"
#include "tests/unit/support/catch_result.hpp"
#include "tests/unit/support/fake_transport.hpp"
#include "tests/unit/support/run.hpp"

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <catch2/catch.hpp>

#include <sstream>

namespace civicpub::test {

namespace asio = boost::asio;

inline constexpr storage::Millis kNow = 1767225600000;  // 2026-01-01T00:00:00Z

// A remote actor with an Ed25519 assertion key besides its RSA key (World::remote_proving).
struct ProvingActor {
  RemoteActor http;
  federation::crypto::Ed25519KeyPair ed25519;
  std::string key_id() const { return http.uri + "#ed25519-key"; }
};

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

  // A local account stored with its signing key; "actor" is the instance actor at /actor.
  storage::ActorRecord add_local(const std::string& name, const std::string& type, bool manual) {
    auto a = local_actor(name);
    if (name == "actor") {
      a.uri = instance.instance_actor_id;
      a.inbox = a.uri + "/inbox";
      a.key_id = a.uri + "#main-key";
      a.outbox = a.followers = a.following = a.url = "";
    }
    a.type = type;
    a.manually_approves_followers = manual;
    a.created_at = a.updated_at = kNow;
    return store_local_actor(*db, a);
  }

  // A remote actor whose document the fake transport serves.
  RemoteActor remote(const std::string& uri, bool serve = true) {
    auto r = remote_signer(uri);
    if (serve) {
      transport.answer(uri, 200, ActorDocument(uri, r.keys.public_pem).json());
    }
    return r;
  }

  // A remote actor that also signs its activities with an integrity proof (FEP-8b32): the
  // document served lists ed25519_key(uri) as its FEP-521a assertion key.
  ProvingActor remote_proving(const std::string& uri) {
    ProvingActor a{remote(uri, false), ed25519_key(uri)};
    ActorDocument document(uri, a.http.keys.public_pem);
    document.assertion_key = a.ed25519.public_key;
    transport.answer(uri, 200, document.json());
    return a;
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

  // Runs one coroutine to completion (test::run, with its deadline).
  template <class F>
  auto run(F make_op) {
    return test::run(std::move(make_op));
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
