// Shared set-up for the services tests: a ":memory:" database with a local account, the test
// world's fake Transport answering WebFinger and actor documents (tests/unit/support), and the
// real WebFinger client, actor fetcher and account lookup on top of it.
#pragma once

#include "federation/remote/actor_resolver.hpp"
#include "federation/remote/webfinger_client.hpp"
#include "server/services/account_lookup.hpp"
#include "server/services/accounts.hpp"
#include "storage/actors.hpp"
#include "storage/deliveries.hpp"
#include "storage/follows.hpp"
#include "tests/unit/support/actors.hpp"
#include "tests/unit/support/fake_transport.hpp"
#include "tests/unit/support/run.hpp"

#include <spdlog/logger.h>
#include <spdlog/sinks/null_sink.h>
#include <catch2/catch.hpp>

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace civicpub::testing {

struct ServicesFixture {
  static constexpr storage::Millis kNow = 1'760'000'000'000;
  std::unique_ptr<storage::Database> db;
  test::FakeTransport transport;
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

  // A remote account reachable by WebFinger at https://<domain>; `shared_inbox` is either empty
  // (none) or https://<domain>/inbox.
  std::string add_remote(const std::string& username, const std::string& domain,
                         const std::string& shared_inbox = {}) {
    const std::string id = "https://" + domain + "/users/" + username;
    transport.answer(
        "https://" + domain + "/.well-known/webfinger?resource=acct:" + username + "@" + domain,
        200, test::jrd_json(username + "@" + domain, id));
    test::ActorDocument document(id);
    document.shared_inbox = !shared_inbox.empty();
    transport.answer(id, 200, document.json());
    return id;
  }

  // A remote actor (test::remote_actor) stored directly as an accepted follower of `target`.
  std::int64_t add_follower(const std::string& id, const std::string& inbox,
                            const std::string& shared_inbox, std::int64_t target) {
    return db
        ->write_sync([&](storage::Connection& conn) -> Result<std::int64_t> {
          // `id` is https://<host>/users/<name>, as the test world's remote actors are.
          const auto host = id.substr(8, id.find('/', 8) - 8);
          auto actor = test::remote_actor(host, id.substr(id.rfind('/') + 1));
          REQUIRE(actor.uri == id);
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
