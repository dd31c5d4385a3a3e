// Staff grants: who may act for an organisation, tokens that stop when the grant goes, the audit
// log.
#include "server/services/staff.hpp"

#include "server/services/logins.hpp"
#include "server/services/oauth_service.hpp"
#include "server/services/service_error.hpp"
#include "tests/unit/server/services/services_fixture.hpp"

#include <catch2/catch.hpp>

using namespace civicpub;
using server::services::StaffError;

namespace {

struct StaffFixture : testing::ServicesFixture {
  storage::ActorRecord clerk;
  server::services::LoginThrottle throttle{{}, [this] { return now; }};
  server::services::OAuthService oauth{*db, throttle, [this] { return now; }};

  StaffFixture() {
    clerk = server::services::create_local_account(
                *db, {"https://town.example", "town.example"},
                {"clerk", server::services::AccountType::person, "", "", now})
                .value();
  }
};

}  // namespace

TEST_CASE_METHOD(StaffFixture, "a login acts for an organisation only with a grant") {
  CHECK(server::services::acting_account(*db, clerk, "")->id == clerk.id);
  CHECK(server::services::acting_account(*db, clerk, "clerk")->id == clerk.id);
  CHECK(server::services::acting_account(*db, clerk, "town").error() == StaffError::no_grant);
  CHECK(server::services::acting_account(*db, clerk, "nobody").error() == StaffError::no_grant);
  CHECK(server::services::grant_staff(*db, "clerk", "clerk", storage::StaffRole::post, now)
            .error() == StaffError::own_account);
  CHECK(server::services::grant_staff(*db, "ghost", "town", storage::StaffRole::post, now)
            .error() == server::services::ServiceError::unknown_account);
  REQUIRE(server::services::grant_staff(*db, "clerk", "town", storage::StaffRole::post, now));
  auto acting = server::services::acting_account(*db, clerk, "@town");
  REQUIRE(acting);
  CHECK(acting->id == town.id);
  CHECK(server::services::revoke_staff(*db, "clerk", "town").value());
  CHECK_FALSE(server::services::revoke_staff(*db, "clerk", "town").value());
  CHECK(server::services::acting_account(*db, clerk, "town").error() == StaffError::no_grant);
}

TEST_CASE_METHOD(StaffFixture, "a staff token names both and ends with the grant") {
  REQUIRE(server::services::grant_staff(*db, "clerk", "town", storage::StaffRole::post, now));
  auto app = test::run(oauth.register_app({"App", "urn:ietf:wg:oauth:2.0:oob", "read write", ""}));
  REQUIRE(app);
  auto code = test::run(oauth.issue_code(app->app, town.id, clerk.id, "urn:ietf:wg:oauth:2.0:oob",
                                         "read write", "", ""));
  REQUIRE(code);
  auto token = test::run(oauth.code_grant(app->app, *code, "urn:ietf:wg:oauth:2.0:oob", ""));
  REQUIRE(token);
  auto grant = oauth.authenticate_token(token->access_token);
  REQUIRE(grant);
  REQUIRE(grant->account);
  REQUIRE(grant->staff);
  CHECK(grant->account->username == "town");
  CHECK(grant->staff->username == "clerk");
  REQUIRE(server::services::revoke_staff(*db, "clerk", "town").value());
  CHECK(oauth.authenticate_token(token->access_token).error() ==
        server::services::OAuthError::invalid_token);
}

TEST_CASE_METHOD(StaffFixture, "the audit log lists writes newest first, per account") {
  storage::AuditRecord entry;
  entry.account_id = town.id;
  entry.staff_id = clerk.id;
  entry.action = "post";
  entry.object_uri = "https://town.example/users/town/statuses/1";
  entry.created_at = now;
  REQUIRE(test::run(server::services::record_audit(*db, entry)));
  entry.account_id = clerk.id;
  entry.object_uri = "https://town.example/users/clerk/statuses/2";
  entry.created_at = now + 1;
  REQUIRE(test::run(server::services::record_audit(*db, entry)));
  auto all = server::services::audit_log(*db, std::nullopt, 10);
  REQUIRE(all);
  REQUIRE(all->size() == 2);
  CHECK(all->front().account_username == "clerk");
  auto town_only = server::services::audit_log(*db, std::string("town"), 10);
  REQUIRE(town_only);
  REQUIRE(town_only->size() == 1);
  CHECK(town_only->front().staff_username == "clerk");
  CHECK(town_only->front().object_uri == "https://town.example/users/town/statuses/1");
  CHECK(server::services::audit_log(*db, std::string("ghost"), 10).error() ==
        server::services::ServiceError::unknown_account);
}
