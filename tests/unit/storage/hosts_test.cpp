#include "tests/unit/storage/fixtures.hpp"
#include "storage/hosts.hpp"

using namespace civicpub::storage;

TEST_CASE("hosts: failures count distinct days and mark the host unavailable at the threshold") {
  auto conn = test::memory_db();
  CHECK_FALSE(hosts::find(conn, "down.example").value());
  auto h = hosts::record_failure(conn, "down.example", 100, 3).value();
  CHECK(h.host == "down.example");
  CHECK(h.failure_days == 1);
  CHECK(h.last_failure_day == std::optional<std::int64_t>(100));
  CHECK_FALSE(h.unavailable);
  CHECK(hosts::record_failure(conn, "down.example", 100, 3).value().failure_days == 1);  // same day
  CHECK(hosts::record_failure(conn, "down.example", 99, 3).value().failure_days == 1);  // older
  h = hosts::record_failure(conn, "down.example", 101, 3).value();
  CHECK(h.failure_days == 2);
  CHECK_FALSE(h.unavailable);
  h = hosts::record_failure(conn, "down.example", 105, 3).value();
  CHECK(h.failure_days == 3);
  CHECK(h.unavailable);
  CHECK(h.last_failure_day == std::optional<std::int64_t>(105));
  auto stored = hosts::find(conn, "down.example").value();
  REQUIRE(stored);
  CHECK(stored->unavailable);
  CHECK_FALSE(stored->last_success_at);

  CHECK(hosts::record_failure(conn, "flaky.example", 1, 1).value().unavailable);  // threshold 1
}

TEST_CASE("hosts: a success resets the count and makes the host available again") {
  auto conn = test::memory_db();
  REQUIRE(hosts::record_failure(conn, "h.example", 1, 2));
  REQUIRE(hosts::record_failure(conn, "h.example", 2, 2));
  REQUIRE(hosts::record_success(conn, "h.example", 5000));
  auto h = hosts::find(conn, "h.example").value().value();
  CHECK(h.failure_days == 0);
  CHECK_FALSE(h.unavailable);
  CHECK_FALSE(h.last_failure_day);
  CHECK(h.last_success_at == std::optional<Millis>(5000));
  // A failure later the same day counts again after the success.
  CHECK(hosts::record_failure(conn, "h.example", 2, 2).value().failure_days == 1);

  REQUIRE(hosts::record_success(conn, "new.example", 7));
  CHECK(hosts::find(conn, "new.example").value()->last_success_at == std::optional<Millis>(7));
}
