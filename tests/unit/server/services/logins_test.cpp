// Passwords (argon2id) and e-mail addresses of local accounts, and checking a login.
#include "server/services/logins.hpp"

#include "server/services/passwords.hpp"
#include "server/services/service_error.hpp"
#include "storage/logins.hpp"
#include "tests/unit/server/services/services_fixture.hpp"

#include <catch2/catch.hpp>

using namespace civicpub;
using server::services::LoginError;

TEST_CASE("argon2id hashes verify the right password only, with a fresh salt each time") {
  const auto a = server::services::hash_password("correct horse");
  const auto b = server::services::hash_password("correct horse");
  CHECK(a.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
  CHECK(a != b);
  CHECK(server::services::verify_password(a, "correct horse"));
  CHECK(server::services::verify_password(b, "correct horse"));
  CHECK_FALSE(server::services::verify_password(a, "correct horsf"));
  CHECK_FALSE(server::services::verify_password("$argon2i$bogus", "correct horse"));
  CHECK_FALSE(server::services::verify_password("", ""));
}

TEST_CASE_METHOD(testing::ServicesFixture, "setting a password stores only its hash") {
  CHECK(server::services::set_password(*db, "town", "short", now).error() ==
        LoginError::password_too_short);
  CHECK(server::services::set_password(*db, "town", std::string(1025, 'x'), now).error() ==
        LoginError::password_too_long);
  CHECK(server::services::set_password(*db, "nobody", "long enough", now).error() ==
        server::services::ServiceError::unknown_account);
  REQUIRE(server::services::set_password(*db, "town", "long enough", now));
  auto login = db->read([&](storage::Connection& c) {
    return storage::logins::find_by_actor(c, town.id);
  });
  REQUIRE(login);
  REQUIRE(*login);
  REQUIRE((*login)->password_hash);
  CHECK((*login)->password_hash->find("long enough") == std::string::npos);
  CHECK_FALSE((*login)->email);
}

TEST_CASE_METHOD(testing::ServicesFixture, "e-mail addresses are checked and unique") {
  auto other = server::services::create_local_account(
      *db, {"https://town.example", "town.example"},
      {"clerk", server::services::AccountType::person, "", "", now});
  REQUIRE(other);
  CHECK(server::services::set_email(*db, "town", "not-an-address", now).error() ==
        LoginError::invalid_email);
  REQUIRE(server::services::set_email(*db, "town", "comms@town.example", now));
  CHECK(server::services::set_email(*db, "clerk", "Comms@Town.example", now).error() ==
        LoginError::email_taken);
}

TEST_CASE_METHOD(testing::ServicesFixture, "authenticate: one answer for every failure") {
  server::services::LoginThrottle throttle({}, [this] { return now; });
  REQUIRE(server::services::set_password(*db, "town", "long enough", now));
  REQUIRE(server::services::set_email(*db, "town", "comms@town.example", now));
  auto ok = server::services::authenticate(*db, throttle, "comms@town.example", "long enough", "a");
  REQUIRE(ok);
  CHECK(ok->id == town.id);
  CHECK(server::services::authenticate(*db, throttle, "town", "long enough", "a"));
  CHECK(server::services::authenticate(*db, throttle, "town", "long enougH", "a").error() ==
        LoginError::wrong_credentials);
  CHECK(server::services::authenticate(*db, throttle, "ghost", "long enough", "a").error() ==
        LoginError::wrong_credentials);
  CHECK(server::services::authenticate(*db, throttle, "x@y.example", "long enough", "a").error() ==
        LoginError::wrong_credentials);
}
