#include "federation/delivery/host_health.hpp"

#include "tests/unit/federation/delivery/delivery_fixtures.hpp"
#include "storage/hosts.hpp"

using namespace civicpub;
using namespace civicpub::federation::delivery;
using civicpub::test::kStart;

namespace {
constexpr storage::Millis kDay = 24LL * 3600 * 1000;
}

TEST_CASE("utc_day counts whole UTC days") {
  CHECK(utc_day(0) == 0);
  CHECK(utc_day(kDay - 1) == 0);
  CHECK(utc_day(kDay) == 1);
  CHECK(utc_day(-1) == -1);
  CHECK(utc_day(kStart) == 19783);  // 2024-03-01
}

TEST_CASE("a host is unavailable after failures on N distinct days, until heard from") {
  civicpub::test::TempDir dir;
  auto db = civicpub::test::open_db(dir);
  HostHealth health(7);
  auto write = [&](auto fn) { return db->write_sync(fn); };
  auto available = [&] {
    auto r =
        db->read([&](storage::Connection& c) { return health.available(c, "remote.example"); });
    REQUIRE(r);
    return *r;
  };
  CHECK(available());  // never seen

  // Many failures on one day count once.
  for (int i = 0; i < 20; ++i) {
    REQUIRE(write([&](storage::Connection& c) {
      return health.record_failure(c, "remote.example", kStart + i * 1000);
    }));
  }
  CHECK(available());
  for (int day = 1; day < 6; ++day) {
    auto r = write([&](storage::Connection& c) {
      return health.record_failure(c, "remote.example", kStart + day * kDay);
    });
    REQUIRE(r);
    CHECK_FALSE(*r);
  }
  CHECK(available());  // six days
  auto seventh = write([&](storage::Connection& c) {
    return health.record_failure(c, "remote.example", kStart + 6 * kDay);
  });
  REQUIRE(seventh);
  CHECK(*seventh);
  CHECK_FALSE(available());

  REQUIRE(write([&](storage::Connection& c) {
    return health.heard_from(c, "remote.example", kStart + 7 * kDay);
  }));
  CHECK(available());
}

TEST_CASE("a success forgets earlier failure days") {
  civicpub::test::TempDir dir;
  auto db = civicpub::test::open_db(dir);
  HostHealth health(2);
  REQUIRE(db->write_sync(
      [&](storage::Connection& c) { return health.record_failure(c, "a.example", kStart); }));
  REQUIRE(db->write_sync([&](storage::Connection& c) {
    return health.record_success(c, "a.example", kStart + kDay);
  }));
  auto r = db->write_sync([&](storage::Connection& c) {
    return health.record_failure(c, "a.example", kStart + 2 * kDay);
  });
  REQUIRE(r);
  CHECK_FALSE(*r);  // one day since the success, not two
}

TEST_CASE("heard_from writes nothing for a host with no failures") {
  civicpub::test::TempDir dir;
  auto db = civicpub::test::open_db(dir);
  HostHealth health;
  REQUIRE(db->write_sync(
      [&](storage::Connection& c) { return health.heard_from(c, "quiet.example", kStart); }));
  auto row =
      db->read([&](storage::Connection& c) { return storage::hosts::find(c, "quiet.example"); });
  REQUIRE(row);
  CHECK_FALSE(*row);
}
