// views::profile, the read model of an account's profile page, tested directly: the counts, the
// page of posts, and each post's reply count (the page once said "No replies" under a post whose
// own page counted its reply).
#include "server/views/actor_views.hpp"
#include "server/views/error.hpp"
#include "storage/actors.hpp"
#include "storage/database.hpp"
#include "storage/posts.hpp"
#include "tests/unit/storage/fixtures.hpp"

using namespace civicpub;

namespace {

struct ProfileWorld {
  std::unique_ptr<storage::Database> db = std::move(storage::Database::open({}).value());
  storage::ActorRecord mayor = storage::test::local_actor("mayor");
  storage::ActorRecord anna = storage::test::remote_actor("remote.example", "anna");

  template <class F>
  std::int64_t write(F fn) {
    auto r = db->write_sync(fn);
    REQUIRE(r);
    return *r;
  }

  ProfileWorld() {
    mayor.id = write([&](storage::Connection& c) { return storage::actors::insert_local(c, mayor); });
    anna.id = write([&](storage::Connection& c) { return storage::actors::upsert_remote(c, anna); });
  }

  std::string post(const storage::ActorRecord& author, int n, storage::Millis published,
                   storage::Visibility visibility = storage::Visibility::public_,
                   const std::string& in_reply_to = {}) {
    storage::PostRecord p;
    p.ap_id = author.uri + "/statuses/" + std::to_string(n);
    p.author_id = author.id;
    p.local = author.local;
    p.in_reply_to = in_reply_to;
    p.thread_root = in_reply_to.empty() ? p.ap_id : in_reply_to;
    p.visibility = visibility;
    p.content_html = "<p>post " + std::to_string(n) + "</p>";
    p.published = published;
    write([&](storage::Connection& c) { return storage::posts::insert(c, p); });
    return p.ap_id;
  }
};

}  // namespace

TEST_CASE("profile view: each post on the page carries its public reply count") {
  ProfileWorld w;
  const auto plan = w.post(w.mayor, 1, 1000);
  const auto notice = w.post(w.mayor, 2, 2000);
  w.post(w.anna, 10, 3000, storage::Visibility::public_, plan);
  w.post(w.anna, 11, 4000, storage::Visibility::unlisted, plan);
  // Not counted on a public page: a followers-only reply.
  w.post(w.anna, 12, 5000, storage::Visibility::followers, plan);

  auto data = server::views::profile(*w.db, "mayor", 1, 10);
  REQUIRE(data);
  CHECK(data->posts == 2);
  REQUIRE(data->recent.size() == 2);
  REQUIRE(data->reply_counts.size() == 2);
  CHECK(data->recent[0].ap_id == notice);  // newest first
  CHECK(data->reply_counts[0] == 0);
  CHECK(data->recent[1].ap_id == plan);
  CHECK(data->reply_counts[1] == 2);
}

TEST_CASE("profile view: pages, unknown accounts") {
  ProfileWorld w;
  for (int i = 1; i <= 3; ++i) w.post(w.mayor, i, 1000 * i);
  auto first = server::views::profile(*w.db, "mayor", 1, 2);
  REQUIRE(first);
  CHECK(first->recent.size() == 2);
  CHECK(first->has_older);
  auto second = server::views::profile(*w.db, "mayor", 2, 2);
  REQUIRE(second);
  CHECK(second->recent.size() == 1);
  CHECK(second->reply_counts.size() == 1);
  CHECK_FALSE(second->has_older);
  auto missing = server::views::profile(*w.db, "nobody", 1, 2);
  REQUIRE_FALSE(missing);
  CHECK(missing.error() == server::views::ViewError::not_found);
}
