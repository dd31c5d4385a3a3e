#include "federation/http/connection.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

using civicpub::federation::http::Connection;
using civicpub::federation::http::ConnectionPool;

namespace {

constexpr std::chrono::seconds kHour{3600};

// Connections told apart by address; none has a socket (the pool never touches it).
struct Parked {
  std::vector<const Connection*> made;

  std::unique_ptr<Connection> make() {
    auto c = std::make_unique<Connection>();
    made.push_back(c.get());
    return c;
  }
};

}  // namespace

TEST_CASE("connection pool: take gives the most recently parked connection of its key") {
  ConnectionPool pool(4, kHour);
  Parked p;
  pool.put("https://a.example:443", p.make());
  pool.put("https://a.example:443", p.make());
  pool.put("https://b.example:443", p.make());
  CHECK(pool.idle_count("https://a.example:443") == 2);
  CHECK(pool.take("https://a.example:443").get() == p.made[1]);
  CHECK(pool.take("https://a.example:443").get() == p.made[0]);
  CHECK(pool.take("https://a.example:443") == nullptr);
  CHECK(pool.take("https://b.example:443").get() == p.made[2]);
  CHECK(pool.idle_total() == 0);
}

TEST_CASE("connection pool: past the cap per key its oldest connection is closed") {
  ConnectionPool pool(2, kHour);
  Parked p;
  for (int i = 0; i < 3; ++i) pool.put("https://a.example:443", p.make());
  pool.put("https://b.example:443", p.make());
  CHECK(pool.idle_count("https://a.example:443") == 2);
  CHECK(pool.idle_total() == 3);
  CHECK(pool.take("https://a.example:443").get() == p.made[2]);
  CHECK(pool.take("https://a.example:443").get() == p.made[1]);
  CHECK(pool.take("https://b.example:443").get() == p.made[3]);
}

TEST_CASE("connection pool: past the cap in all the oldest connection of any key is closed") {
  ConnectionPool pool(4, kHour, 3);
  Parked p;
  pool.put("https://a.example:443", p.make());  // the oldest: closed by the fourth
  pool.put("https://b.example:443", p.make());
  pool.put("https://a.example:443", p.make());
  pool.put("https://c.example:443", p.make());
  CHECK(pool.idle_total() == 3);
  CHECK(pool.idle_count("https://a.example:443") == 1);
  CHECK(pool.take("https://a.example:443").get() == p.made[2]);
  CHECK(pool.take("https://a.example:443") == nullptr);
  // Many hosts: the pool stays at its cap, and every host's newest is what remains.
  for (int i = 0; i < 1000; ++i)
    pool.put("https://h" + std::to_string(i) + ".example:443", p.make());
  CHECK(pool.idle_total() == 3);
  CHECK(pool.take("https://h999.example:443").get() == p.made.back());
  CHECK(pool.take("https://h996.example:443") == nullptr);
}

TEST_CASE("connection pool: connections idle past the TTL are closed, not handed out") {
  ConnectionPool pool(4, std::chrono::seconds(0));
  Parked p;
  pool.put("https://a.example:443", p.make());
  pool.put("https://b.example:443", p.make());
  CHECK(pool.take("https://a.example:443") == nullptr);
  CHECK(pool.idle_total() == 0);
  CHECK(pool.idle_count("https://b.example:443") == 0);
}

TEST_CASE("connection pool: a pool with no room keeps nothing") {
  ConnectionPool none_per_key(0, kHour);
  none_per_key.put("https://a.example:443", std::make_unique<Connection>());
  CHECK(none_per_key.idle_total() == 0);
  ConnectionPool none_at_all(4, kHour, 0);
  none_at_all.put("https://a.example:443", std::make_unique<Connection>());
  CHECK(none_at_all.idle_total() == 0);
}
