#include "tests/unit/storage/fixtures.hpp"
#include "storage/reports.hpp"

using namespace civicpub::storage;

TEST_CASE("reports: insert, list open ones, find, resolve, and a redelivery conflicts") {
  auto conn = test::memory_db();
  ReportRecord r;
  r.activity_uri = "https://m.example/flags/1";
  r.reporter_uri = "https://m.example/actor";
  r.account_uri = "https://town.example/users/town";
  r.object_uris = {"https://town.example/notes/1", "https://town.example/notes/2"};
  r.comment = "spam";
  r.created_at = 10;
  auto id = reports::insert(conn, r).value();
  CHECK(reports::insert(conn, r).error() == Errc::conflict);
  r.direction = ReportDirection::sent;
  r.activity_uri = "https://town.example/reports/x";
  r.object_uris.clear();
  auto sent = reports::insert(conn, r).value();

  auto open = reports::list(conn, false, 10).value();
  REQUIRE(open.size() == 2);
  CHECK(open[0].id == sent);
  CHECK(open[0].direction == ReportDirection::sent);
  CHECK(open[0].object_uris.empty());
  CHECK(open[1].object_uris.size() == 2);

  auto found = reports::find(conn, id).value();
  REQUIRE(found);
  CHECK(found->comment == "spam");
  CHECK(found->object_uris[1] == "https://town.example/notes/2");
  CHECK_FALSE(found->resolved_at);

  REQUIRE(reports::resolve(conn, id, 20));
  REQUIRE(reports::resolve(conn, id, 30));
  CHECK(reports::find(conn, id).value()->resolved_at == 20);
  CHECK(reports::list(conn, false, 10).value().size() == 1);
  CHECK(reports::list(conn, true, 10).value().size() == 2);
  CHECK(reports::resolve(conn, 999, 1).error() == Errc::not_found);
  CHECK_FALSE(reports::find(conn, 999).value());
}
