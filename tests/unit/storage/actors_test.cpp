#include "tests/unit/storage/fixtures.hpp"
#include "storage/actors.hpp"
#include "tests/unit/storage/full_scans.hpp"

#include <vector>

using namespace civicpub::storage;

TEST_CASE("actors: insert_local stores every field and finds it back every way") {
  auto conn = test::memory_db();
  auto a = test::local_actor("mayor");
  a.local = false;  // insert_local forces it
  a.manually_approves_followers = true;
  a.discoverable = false;
  auto id = actors::insert_local(conn, a);
  REQUIRE(id);
  auto found = actors::find_by_id(conn, *id).value();
  REQUIRE(found);
  CHECK(found->id == *id);
  CHECK(found->local);
  CHECK(found->uri == a.uri);
  CHECK(found->type == "Person");
  CHECK(found->username == "mayor");
  CHECK(found->domain == "town.example");
  CHECK(found->display_name == a.display_name);
  CHECK(found->inbox == a.inbox);
  CHECK(found->shared_inbox == a.shared_inbox);
  CHECK(found->outbox == a.outbox);
  CHECK(found->followers == a.followers);
  CHECK(found->following == a.following);
  CHECK(found->url == a.url);
  CHECK(found->key_id == a.key_id);
  CHECK(found->public_key_pem == a.public_key_pem);
  CHECK(found->manually_approves_followers);
  CHECK_FALSE(found->discoverable);
  CHECK(found->created_at == 1000);
  CHECK_FALSE(found->deleted_at);

  CHECK(actors::find_by_uri(conn, a.uri).value()->id == *id);
  CHECK(actors::find_by_key_id(conn, a.key_id).value()->id == *id);
  CHECK(actors::find_local_by_username(conn, "MaYoR").value()->id == *id);
}

TEST_CASE("actors: missing rows are empty optionals, not errors") {
  auto conn = test::memory_db();
  CHECK_FALSE(actors::find_by_id(conn, 42).value());
  CHECK_FALSE(actors::find_by_uri(conn, "https://nowhere.example/u").value());
  CHECK_FALSE(actors::find_by_key_id(conn, "https://nowhere.example/u#k").value());
  CHECK_FALSE(actors::find_by_key_id(conn, "").value());
  CHECK_FALSE(actors::find_local_by_username(conn, "ghost").value());
  auto upd = actors::update_local_profile(conn, test::local_actor("ghost"));
  CHECK(upd.error() == Errc::not_found);
  CHECK(actors::mark_deleted(conn, 99, 5).error() == Errc::not_found);
}

TEST_CASE("actors: a duplicate local username (any case) or uri is a conflict") {
  auto conn = test::memory_db();
  REQUIRE(actors::insert_local(conn, test::local_actor("clerk")));
  auto other = test::local_actor("CLERK");
  other.uri = "https://town.example/users/clerk2";
  auto dup = actors::insert_local(conn, other);
  REQUIRE_FALSE(dup);
  CHECK(dup.error() == Errc::conflict);
  CHECK(civicpub::kind_of(dup.error()) == civicpub::ErrorKind::conflict);

  auto same_uri = test::local_actor("clerk");
  same_uri.username = "different";
  CHECK(actors::insert_local(conn, same_uri).error() == Errc::conflict);

  // A remote actor with the same username is fine: uniqueness is among local actors only.
  CHECK(actors::upsert_remote(conn, test::remote_actor("other.example", "clerk")));
  CHECK(actors::count_local(conn).value() == 1);
}

TEST_CASE("actors: missing required fields are constraint errors") {
  auto conn = test::memory_db();
  REQUIRE(conn.exec("CREATE TEMP TRIGGER no_empty BEFORE INSERT ON actors "
                    "WHEN NEW.uri = '' BEGIN SELECT RAISE(ABORT, 'empty uri'); END"));
  auto a = test::local_actor("x");
  a.uri = "";
  auto r = actors::insert_local(conn, a);
  REQUIRE_FALSE(r);
  CHECK(r.error() == Errc::constraint);
  CHECK(conn.last_error_message() == "empty uri");
}

TEST_CASE("actors: list_local, count_local and mark_deleted") {
  auto conn = test::memory_db();
  auto a = actors::insert_local(conn, test::local_actor("a")).value();
  auto b = actors::insert_local(conn, test::local_actor("b")).value();
  REQUIRE(actors::upsert_remote(conn, test::remote_actor("far.example", "r")));
  auto list = actors::list_local(conn).value();
  REQUIRE(list.size() == 2);
  CHECK(list[0].id == a);
  CHECK(list[1].id == b);
  CHECK(actors::count_local(conn).value() == 2);

  REQUIRE(actors::mark_deleted(conn, a, 777));
  CHECK(actors::count_local(conn).value() == 1);
  CHECK(actors::list_local(conn).value().size() == 1);
  auto deleted = actors::find_by_id(conn, a).value();
  REQUIRE(deleted);
  CHECK(deleted->deleted_at == std::optional<Millis>(777));
  // The name stays taken: ids and handles of deleted local accounts are never reused.
  CHECK(actors::find_local_by_username(conn, "a").value());
}

TEST_CASE("actors: upsert_remote inserts, then refreshes by uri - never overwrites a local actor") {
  auto conn = test::memory_db();
  auto r = test::remote_actor("far.example", "alice");
  auto id = actors::upsert_remote(conn, r).value();
  auto found = actors::find_by_uri(conn, r.uri).value();
  REQUIRE(found);
  CHECK_FALSE(found->local);
  CHECK(found->raw_json == "{}");
  CHECK(found->fetched_at == 2000);

  r.display_name = "Alice B.";
  r.public_key_pem = "ROTATED";
  r.fetched_at = 3000;
  r.local = true;  // ignored: a remote document never makes a local actor
  CHECK(actors::upsert_remote(conn, r).value() == id);
  found = actors::find_by_id(conn, id).value();
  CHECK(found->display_name == "Alice B.");
  CHECK(found->public_key_pem == "ROTATED");
  CHECK(found->fetched_at == 3000);
  CHECK_FALSE(found->local);
  CHECK(found->created_at == 2000);  // kept from the first insert

  auto local = test::local_actor("mayor");
  REQUIRE(actors::insert_local(conn, local));
  auto forged = test::remote_actor("town.example", "mayor");
  forged.uri = local.uri;
  forged.public_key_pem = "EVIL";
  auto hijack = actors::upsert_remote(conn, forged);
  REQUIRE_FALSE(hijack);
  CHECK(hijack.error() == Errc::conflict);
  CHECK(actors::find_by_uri(conn, local.uri).value()->public_key_pem == local.public_key_pem);
}

TEST_CASE("actors: update_local_profile changes only the editable fields of local actors") {
  auto conn = test::memory_db();
  auto id = actors::insert_local(conn, test::local_actor("parks")).value();
  auto edit = test::local_actor("parks");
  edit.id = id;
  edit.display_name = "Parks Department";
  edit.summary_html = "<p>Green</p>";
  edit.url = "https://town.example/parks";
  edit.manually_approves_followers = true;
  edit.discoverable = false;
  edit.updated_at = 5000;
  edit.inbox = "https://evil.example/inbox";  // not editable
  REQUIRE(actors::update_local_profile(conn, edit));
  auto found = actors::find_by_id(conn, id).value().value();
  CHECK(found.display_name == "Parks Department");
  CHECK(found.summary_html == "<p>Green</p>");
  CHECK(found.url == "https://town.example/parks");
  CHECK(found.manually_approves_followers);
  CHECK_FALSE(found.discoverable);
  CHECK(found.updated_at == 5000);
  CHECK(found.inbox == "https://town.example/users/parks/inbox");

  auto remote_id = actors::upsert_remote(conn, test::remote_actor("far.example", "bob")).value();
  edit.id = remote_id;
  CHECK(actors::update_local_profile(conn, edit).error() == Errc::not_found);
}

TEST_CASE("actors: find_by_ids finds a set in one query, deleted ones too, unknown ids absent") {
  auto conn = test::memory_db();
  auto a = actors::insert_local(conn, test::local_actor("a")).value();
  auto r = actors::upsert_remote(conn, test::remote_actor("far.example", "r")).value();
  auto gone = actors::upsert_remote(conn, test::remote_actor("far.example", "gone")).value();
  REQUIRE(actors::mark_deleted(conn, gone, 777));
  REQUIRE(actors::upsert_remote(conn, test::remote_actor("far.example", "other")));

  test::FullScans scans(conn);
  const std::vector<std::int64_t> ids{r, a, gone, r, 999999};  // repeated, and one unknown
  auto found = actors::find_by_ids(conn, ids).value();
  CHECK(scans.statements().empty());
  REQUIRE(found.size() == 3);
  CHECK(found.at(a).username == "a");
  CHECK(found.at(a).local);
  CHECK(found.at(r).uri == actors::find_by_id(conn, r).value()->uri);
  CHECK(found.at(gone).deleted_at == std::optional<Millis>(777));
  CHECK_FALSE(found.contains(999999));
  CHECK(actors::find_by_ids(conn, {}).value().empty());
}

TEST_CASE("actors: list_local steps through the local actors' index, not every remote actor") {
  auto conn = test::memory_db();
  const auto second = actors::insert_local(conn, test::local_actor("b")).value();
  const auto first = actors::insert_local(conn, test::local_actor("a")).value();
  for (int i = 0; i < 20; ++i) {
    REQUIRE(
        actors::upsert_remote(conn, test::remote_actor("far.example", "r" + std::to_string(i))));
  }
  test::FullScans scans(conn);
  auto locals = actors::list_local(conn).value();
  CHECK(scans.steps() <= 2);  // the partial index's two rows; the table has 22
  REQUIRE(locals.size() == 2);
  CHECK(locals[0].id == second);  // in id order, not username order
  CHECK(locals[1].id == first);
}
