// The TOTP second factor (issue 13): codes of the current step and one either side pass once,
// others and replays do not, an empty code is asked for, and wrong codes are throttled.
#include "server/services/two_factor.hpp"

#include "server/services/logins.hpp"
#include "tests/unit/server/services/services_fixture.hpp"

#include <liboath/oath.h>

using namespace civicpub;
using server::services::TwoFactorError;

namespace {

constexpr std::int64_t kNow = 1'760'000'000;  // seconds

std::string code_at(const std::string& base32_secret, std::int64_t seconds) {
  char* secret = nullptr;
  size_t length = 0;
  REQUIRE(oath_base32_decode(base32_secret.c_str(), base32_secret.size(), &secret, &length) ==
          OATH_OK);
  char otp[7] = {};
  const int rc = oath_totp_generate(secret, length, static_cast<time_t>(seconds), 30, 0, 6, otp);
  std::free(secret);
  REQUIRE(rc == OATH_OK);
  return otp;
}

struct TwoFactorWorld : testing::ServicesFixture {
  server::services::LoginThrottle throttle{{}, [] { return storage::Millis{0}; }};

  Result<void> check(const std::string& code, std::int64_t at = kNow) {
    return test::run(server::services::check_two_factor(*db, throttle, town.id, code, "127.0.0.1",
                                                        at));
  }
};

}  // namespace

TEST_CASE_METHOD(TwoFactorWorld, "two factor: without a key any sign-in passes") {
  CHECK(check(""));
  CHECK_FALSE(server::services::has_two_factor(*db, town.id).value());
  CHECK(server::services::disable_two_factor(*db, "town").error() == TwoFactorError::not_enabled);
}

TEST_CASE_METHOD(TwoFactorWorld, "two factor: a code works within one step, once") {
  auto setup = server::services::enable_two_factor(*db, "town", "town.example", 0);
  REQUIRE(setup);
  CHECK(setup->uri.starts_with("otpauth://totp/town.example:town?secret=" + setup->secret_base32));
  CHECK(setup->secret_base32.size() == 32);  // 160 bits
  CHECK(server::services::has_two_factor(*db, town.id).value());
  CHECK(check("").error() == TwoFactorError::code_required);
  CHECK(check(code_at(setup->secret_base32, kNow - 60)).error() == TwoFactorError::wrong_code);
  CHECK(check(code_at(setup->secret_base32, kNow - 30)));  // the step before: clocks drift
  CHECK(check(code_at(setup->secret_base32, kNow - 30)).error() == TwoFactorError::wrong_code);
  CHECK(check(code_at(setup->secret_base32, kNow)));
  CHECK(check(code_at(setup->secret_base32, kNow)).error() == TwoFactorError::wrong_code);
  CHECK(check(code_at(setup->secret_base32, kNow + 60)).error() == TwoFactorError::wrong_code);
  CHECK(check(code_at(setup->secret_base32, kNow + 30)));  // the step after
  REQUIRE(server::services::disable_two_factor(*db, "town"));
  CHECK(check(""));
}

TEST_CASE_METHOD(TwoFactorWorld, "two factor: wrong codes are throttled like passwords") {
  auto setup = server::services::enable_two_factor(*db, "town", "town.example", 0);
  REQUIRE(setup);
  const auto right = code_at(setup->secret_base32, kNow);
  const std::string wrong = right == "000000" ? "111111" : "000000";
  for (int i = 0; i < 5; ++i) CHECK(check(wrong).error() == TwoFactorError::wrong_code);
  CHECK(check(right).error() == server::services::LoginError::throttled);
}
