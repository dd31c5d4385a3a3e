#include "federation/as2/reader.hpp"
#include "federation/federation_error.hpp"
#include "server/services/follow_service.hpp"
#include "server/services/service_error.hpp"
#include "tests/unit/server/services/services_fixture.hpp"

using namespace civicpub;
using civicpub::test::run;
using server::services::FollowService;
using server::services::ServiceError;

namespace {

struct FollowFixture : civicpub::testing::ServicesFixture {
  FollowService service{*db, lookup, [this] { return now; }, 42};
};

}  // namespace

TEST_CASE_METHOD(FollowFixture, "follow: a remote handle gets a pending row and a queued Follow") {
  const auto anna = add_remote("anna", "social.example", "https://social.example/inbox");
  auto outcome = run(service.follow("town", "@anna@social.example"));
  REQUIRE(outcome.has_value());
  CHECK(outcome->target.uri == anna);
  CHECK(outcome->follow.state == storage::FollowState::pending);
  CHECK(outcome->follow.activity_uri.rfind(town.uri + "#follows/", 0) == 0);

  auto row = db->read([&](storage::Connection& c) {
    return storage::follows::find_by_pair(c, town.id, outcome->target.id);
  });
  REQUIRE(row.value());
  CHECK((*row)->state == storage::FollowState::pending);
  CHECK((*row)->activity_uri == outcome->follow.activity_uri);

  const auto rows = deliveries();
  REQUIRE(rows.size() == 1);
  // Follows go to the personal inbox, not the shared one (Mastodon expects them there).
  CHECK(rows[0].inbox_url == anna + "/inbox");
  CHECK(rows[0].actor_id == town.id);
  CHECK(rows[0].activity_id == outcome->follow.activity_uri);
  auto doc = federation::as2::parse_json(rows[0].body).value();
  CHECK(std::string(doc["type"].GetString()) == "Follow");
  CHECK(std::string(doc["actor"].GetString()) == town.uri);
  CHECK(std::string(doc["object"].GetString()) == anna);
  CHECK(std::string(doc["id"].GetString()) == outcome->follow.activity_uri);
}

TEST_CASE_METHOD(FollowFixture,
                 "follow: unfollow queues Undo embedding the Follow and drops the row") {
  const auto anna = add_remote("anna", "social.example");
  auto followed = run(service.follow("town", anna));  // by actor URL: no WebFinger
  REQUIRE(followed.has_value());
  auto undone = run(service.unfollow("town", "anna@social.example"));
  REQUIRE(undone.has_value());
  auto row = db->read([&](storage::Connection& c) {
    return storage::follows::find_by_pair(c, town.id, followed->target.id);
  });
  CHECK_FALSE(row.value());

  const auto rows = deliveries();
  REQUIRE(rows.size() == 2);
  const auto& undo_row = rows[0].activity_id == undone->activity_id ? rows[0] : rows[1];
  CHECK(undo_row.inbox_url == anna + "/inbox");
  auto doc = federation::as2::parse_json(undo_row.body).value();
  CHECK(std::string(doc["type"].GetString()) == "Undo");
  CHECK(std::string(doc["actor"].GetString()) == town.uri);
  REQUIRE(doc["object"].IsObject());
  CHECK(std::string(doc["object"]["type"].GetString()) == "Follow");
  CHECK(std::string(doc["object"]["id"].GetString()) == followed->follow.activity_uri);
  CHECK(std::string(doc["object"]["actor"].GetString()) == town.uri);
  CHECK(std::string(doc["object"]["object"].GetString()) == anna);

  CHECK(run(service.unfollow("town", anna)).error() == ServiceError::not_following);
}

TEST_CASE_METHOD(FollowFixture, "follow: refusals and local targets") {
  CHECK(run(service.follow("nobody", "@anna@social.example")).error() ==
        ServiceError::unknown_account);
  CHECK(run(service.follow("town", "@town@town.example")).error() == ServiceError::follow_self);
  CHECK(run(service.follow("town", town.uri)).error() == ServiceError::follow_self);
  CHECK(run(service.follow("town", "@ghost@social.example")).error() ==
        federation::WebfingerError::not_found);
  CHECK(run(service.follow("town", "not a handle")).error() ==
        federation::WebfingerError::bad_handle);

  // An actor document served under another id is refused, not stored.
  transport.answer("https://evil.example/users/x", 200,
                   test::ActorDocument("https://social.example/users/anna").json());
  CHECK(run(service.follow("town", "https://evil.example/users/x")).error() ==
        federation::FederationError::id_mismatch);

  // A local target: accepted at once, nothing federated.
  server::services::NewAccount other{"parks", server::services::AccountType::service, "", "", kNow};
  auto parks =
      server::services::create_local_account(*db, {"https://town.example", "town.example"}, other)
          .value();
  auto local = run(service.follow("town", "@parks@town.example"));
  REQUIRE(local.has_value());
  CHECK(local->target.id == parks.id);
  CHECK(local->follow.state == storage::FollowState::accepted);
  CHECK(local->activity_id.empty());
  CHECK(deliveries().empty());
  auto again = run(service.follow("town", parks.uri));
  REQUIRE(again.has_value());
  CHECK(again->already);
  REQUIRE(run(service.unfollow("town", "@parks@town.example")).has_value());
  CHECK(deliveries().empty());
}
