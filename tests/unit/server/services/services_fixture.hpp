// Shared set-up for the services tests: a ":memory:" database with a local account, a fake
// Transport that answers WebFinger and actor documents from a table, and the real WebFinger
// client, actor fetcher and account lookup on top of it.
#pragma once

#include "server/services/accounts.hpp"
#include "federation/remote/actor_resolver.hpp"
#include "federation/http/error.hpp"
#include "federation/http/transport.hpp"
#include "server/services/account_lookup.hpp"
#include "federation/remote/webfinger_client.hpp"
#include "storage/actors.hpp"
#include "storage/deliveries.hpp"
#include "storage/follows.hpp"

#include <spdlog/logger.h>
#include <spdlog/sinks/null_sink.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace civicpub::testing {

namespace http = federation::http;

// Answers by exact URL; unknown URLs get 404. Records every request.
class FakeTransport final : public http::Transport {
 public:
  void answer(const std::string& url, unsigned status, std::string body) {
    http::OutboundResponse response;
    response.status = status;
    response.body = std::move(body);
    response.final_url = url;
    routes_[url] = response;
  }
  void fail(const std::string& url, http::HttpError error) { routes_[url] = error; }

  boost::asio::awaitable<Result<http::OutboundResponse>> send(
      http::OutboundRequest request) override {
    requests.push_back(request);
    const auto found = routes_.find(request.url);
    if (found != routes_.end()) co_return found->second;
    http::OutboundResponse missing;
    missing.status = 404;
    co_return missing;
  }

  std::vector<http::OutboundRequest> requests;

 private:
  std::map<std::string, Result<http::OutboundResponse>> routes_;
};

inline std::string actor_json(const std::string& id, const std::string& username,
                              const std::string& inbox, const std::string& shared_inbox = {}) {
  std::string json = R"({"@context":["https://www.w3.org/ns/activitystreams"],"id":")" + id +
                     R"(","type":"Person","preferredUsername":")" + username + R"(","inbox":")" +
                     inbox + R"(","followers":")" + id + R"(/followers","url":")" + id +
                     R"(/profile","publicKey":{"id":")" + id + R"(#main-key","owner":")" + id +
                     R"(","publicKeyPem":"PEM"})";
  if (!shared_inbox.empty()) json += R"(,"endpoints":{"sharedInbox":")" + shared_inbox + R"("})";
  return json + "}";
}

inline std::string jrd_json(const std::string& subject, const std::string& actor_id) {
  return R"({"subject":"acct:)" + subject +
         R"(","links":[{"rel":"http://webfinger.net/rel/profile-page","type":"text/html","href":")" +
         actor_id + R"("},{"rel":"self","type":"application/activity+json","href":")" + actor_id +
         R"("}]})";
}

// Runs a coroutine to completion on a fresh io_context and returns its value.
template <class T>
T run(boost::asio::awaitable<T> task) {
  boost::asio::io_context ioc;
  std::optional<T> value;
  std::exception_ptr failure;
  boost::asio::co_spawn(ioc, std::move(task), [&](std::exception_ptr e, T v) {
    failure = e;
    if (!e) value.emplace(std::move(v));
  });
  ioc.run();
  if (failure) std::rethrow_exception(failure);
  if (!value) throw std::logic_error("coroutine did not finish");
  return std::move(*value);
}

struct ServicesFixture {
  static constexpr storage::Millis kNow = 1'760'000'000'000;
  std::unique_ptr<storage::Database> db;
  FakeTransport transport;
  federation::WebfingerClient webfinger{transport};
  storage::Millis now = kNow;
  federation::ActorResolver resolver;
  server::services::RemoteActorsAdapter<federation::ActorResolver> remote{resolver};
  server::services::AccountLookup lookup;
  storage::ActorRecord town;

  ServicesFixture()
      : db(open()),
        resolver(
            *db, transport, instance(), [this] { return now; }, {},
            std::make_shared<spdlog::logger>("services-test",
                                             std::make_shared<spdlog::sinks::null_sink_mt>())),
        lookup(*db, webfinger, remote, "town.example") {
    server::services::NewAccount account{"town", server::services::AccountType::organization, "Town", "",
                                   kNow - 1000};
    town = server::services::create_local_account(*db, {"https://town.example", "town.example"}, account)
               .value();
  }

  static federation::as2::InstanceInfo instance() {
    federation::as2::InstanceInfo info;
    info.base_url = "https://town.example";
    info.host = "town.example";
    info.instance_actor_id = "https://town.example/users/instance";
    return info;
  }

  static std::unique_ptr<storage::Database> open() {
    auto opened = storage::Database::open({});
    if (!opened) throw std::runtime_error("cannot open :memory:");
    return std::move(*opened);
  }

  // A remote account reachable by WebFinger at https://<domain>.
  std::string add_remote(const std::string& username, const std::string& domain,
                         const std::string& shared_inbox = {}) {
    const std::string id = "https://" + domain + "/users/" + username;
    transport.answer(
        "https://" + domain + "/.well-known/webfinger?resource=acct:" + username + "@" + domain,
        200, jrd_json(username + "@" + domain, id));
    transport.answer(id, 200, actor_json(id, username, id + "/inbox", shared_inbox));
    return id;
  }

  // A remote actor stored directly as an accepted follower of `target`.
  std::int64_t add_follower(const std::string& id, const std::string& inbox,
                            const std::string& shared_inbox, std::int64_t target) {
    return db
        ->write_sync([&](storage::Connection& conn) -> Result<std::int64_t> {
          storage::ActorRecord actor;
          actor.uri = id;
          actor.type = "Person";
          actor.username = "f";
          actor.domain = "x";
          actor.inbox = inbox;
          actor.shared_inbox = shared_inbox;
          actor.created_at = actor.updated_at = actor.fetched_at = kNow;
          auto actor_id = storage::actors::upsert_remote(conn, actor);
          if (!actor_id) return actor_id;
          storage::FollowRecord follow;
          follow.follower_id = *actor_id;
          follow.target_id = target;
          follow.state = storage::FollowState::accepted;
          follow.activity_uri = id + "#follow";
          follow.created_at = follow.updated_at = kNow;
          if (auto stored = storage::follows::upsert(conn, follow); !stored) return stored;
          return actor_id;
        })
        .value();
  }

  std::vector<storage::DeliveryRecord> deliveries() {
    return db
        ->read([](storage::Connection& conn) {
          return storage::deliveries::due(conn, std::numeric_limits<storage::Millis>::max(), 1000);
        })
        .value();
  }
};

}  // namespace civicpub::testing
