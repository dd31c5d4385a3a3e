// TOTP keys of logins (issue 13): stored, replaced, removed, and each time step accepted once.
#include "storage/login_totp.hpp"

#include "storage/actors.hpp"
#include "tests/unit/storage/fixtures.hpp"

#include <catch2/catch.hpp>

using namespace civicpub::storage;

TEST_CASE("login_totp: a step is accepted once, and never one before it") {
  auto conn = test::memory_db();
  const auto id = actors::insert_local(conn, test::local_actor("clerk")).value();
  CHECK_FALSE(login_totp::find(conn, id).value());
  CHECK_FALSE(login_totp::accept_step(conn, id, 100).value());  // no key: nothing to accept
  REQUIRE(login_totp::set(conn, id, "00ff", 1));
  auto found = login_totp::find(conn, id).value();
  REQUIRE(found);
  CHECK(found->secret_hex == "00ff");
  CHECK_FALSE(found->last_step);
  CHECK(login_totp::accept_step(conn, id, 100).value());
  CHECK_FALSE(login_totp::accept_step(conn, id, 100).value());  // the same code again
  CHECK_FALSE(login_totp::accept_step(conn, id, 99).value());   // an older one
  CHECK(login_totp::accept_step(conn, id, 101).value());
  CHECK(login_totp::find(conn, id).value()->last_step == 101);
  // A new key forgets the steps of the old one.
  REQUIRE(login_totp::set(conn, id, "abcd", 2));
  CHECK_FALSE(login_totp::find(conn, id).value()->last_step);
  CHECK(login_totp::remove(conn, id).value());
  CHECK_FALSE(login_totp::remove(conn, id).value());
}
