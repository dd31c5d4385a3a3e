#include "federation/as2/reader.hpp"
#include "server/services/profile_service.hpp"
#include "server/services/service_error.hpp"
#include "tests/unit/server/services/services_fixture.hpp"

using namespace civicpub;
using civicpub::test::run;
using server::services::ProfileChange;
using server::services::ProfileService;
using server::services::ServiceError;

TEST_CASE_METHOD(civicpub::testing::ServicesFixture,
                 "profile: an update is stored and Update(actor) goes to each follower inbox") {
  ProfileService service(*db, lookup, instance(), [this] { return now; });
  add_follower("https://a.example/users/1", "https://a.example/users/1/inbox",
               "https://a.example/inbox", town.id);
  add_follower("https://b.example/users/2", "https://b.example/users/2/inbox", "", town.id);
  ProfileChange change;
  change.display_name = "Gemeente Voorbeeld";
  change.summary = "Official account, see https://town.example/about";
  change.manually_approves_followers = true;
  auto outcome = run(service.update_profile("town", change));
  REQUIRE(outcome.has_value());
  CHECK(outcome->deliveries == 2);

  auto stored = db->read([&](storage::Connection& c) {
                    return storage::actors::find_by_id(c, town.id);
                  }).value();
  REQUIRE(stored);
  CHECK(stored->display_name == "Gemeente Voorbeeld");
  CHECK(stored->manually_approves_followers);
  CHECK(stored->summary_html.find("href=\"https://town.example/about\"") != std::string::npos);

  const auto rows = deliveries();
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].body == rows[1].body);
  std::set<std::string> inboxes{rows[0].inbox_url, rows[1].inbox_url};
  CHECK(inboxes ==
        std::set<std::string>{"https://a.example/inbox", "https://b.example/users/2/inbox"});
  auto doc = federation::as2::parse_json(rows[0].body).value();
  CHECK(std::string(doc["type"].GetString()) == "Update");
  CHECK(std::string(doc["object"]["id"].GetString()) == town.uri);
  CHECK(std::string(doc["object"]["name"].GetString()) == "Gemeente Voorbeeld");
  CHECK(doc["object"]["manuallyApprovesFollowers"].GetBool());

  CHECK(run(service.update_profile("nobody", change)).error() == ServiceError::unknown_account);
}
