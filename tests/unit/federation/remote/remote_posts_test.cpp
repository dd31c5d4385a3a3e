// RemotePosts: fetching a post by id with its checks (id, author origin, tombstones, 410), and
// walking up a thread with a depth cap, a visited set, a per-thread budget and a cooldown.
#include "tests/unit/support/post_fixtures.hpp"

#include "tests/unit/federation/http/http_client_support.hpp"
#include "tests/unit/support/http_test_server.hpp"

#include "federation/federation_error.hpp"
#include "storage/object_fetches.hpp"

using namespace civicpub;
using federation::FederationError;
using test::kAnnaUri;
using test::kBobUri;
using test::NoteSpec;
using test::PostsWorld;

namespace {

std::string note_id(int n) {
  return kAnnaUri + "/statuses/" + std::to_string(n);
}

// Serves a chain: note n replies to note n-1, note 1 to nothing.
void serve_chain(PostsWorld& w, int length) {
  for (int n = 1; n <= length; ++n) {
    NoteSpec note;
    note.id = note_id(n);
    if (n > 1) note.in_reply_to = note_id(n - 1);
    w.serve_note(note);
  }
}

federation::RemotePostsSettings with_limits(int depth, int budget) {
  federation::RemotePostsSettings s;
  s.thread_depth_limit = depth;
  s.thread_fetch_budget = budget;
  return s;
}

}  // namespace

TEST_CASE("remote posts: post() fetches, checks and stores - then answers from storage") {
  PostsWorld w;
  NoteSpec note;
  note.id = note_id(1);
  note.content = "<p>hi<img src=x onerror=alert(1)></p>";
  w.serve_note(note);
  auto got = w.run([&] { return w.posts.post(note.id); });
  REQUIRE(got);
  CHECK(got->ap_id == note.id);
  CHECK(got->content_html == "<p>hi</p>");
  CHECK(got->thread_root == note.id);
  const auto& request = w.transport.requests.back();
  CHECK(request.header("Signature"));  // signed by the instance actor
  CHECK(request.header("Accept") == "application/activity+json");

  auto again = w.run([&] { return w.posts.post(note.id); });
  REQUIRE(again);
  CHECK(again->id == got->id);
  CHECK(w.transport.fetches(note.id) == 1);
}

TEST_CASE("remote posts: documents that fail the checks are not stored") {
  PostsWorld w;
  SECTION("an id other than the URL asked for") {
    NoteSpec note;
    note.id = note_id(2);
    w.transport.answer(note_id(1), 200, test::note_json(note));
    auto got = w.run([&] { return w.posts.post(note_id(1)); });
    REQUIRE_FALSE(got);
    CHECK(got.error() == FederationError::id_mismatch);
    CHECK_FALSE(w.post(note_id(2)));
  }
  SECTION("an author on another host") {
    NoteSpec note;
    note.id = note_id(1);
    note.author = test::kBobUri;
    w.serve_note(note);
    auto got = w.run([&] { return w.posts.post(note.id); });
    REQUIRE_FALSE(got);
    CHECK(got.error() == FederationError::origin_mismatch);
  }
  SECTION("410 Gone: a tombstone is kept and nothing fetched again") {
    w.transport.answer(note_id(1), 410, "{}");
    auto got = w.run([&] { return w.posts.post(note_id(1)); });
    REQUIRE_FALSE(got);
    CHECK(got.error() == FederationError::object_gone);
    CHECK(w.tombstoned(note_id(1)));
    auto again = w.run([&] { return w.posts.post(note_id(1)); });
    CHECK(again.error() == FederationError::object_gone);
    CHECK(w.transport.fetches(note_id(1)) == 1);
  }
  SECTION("404") {
    auto got = w.run([&] { return w.posts.post(note_id(1)); });
    CHECK(got.error() == FederationError::object_not_found);
  }
  SECTION("no post at all") {
    w.transport.answer(note_id(1), 200, R"({"id":")" + note_id(1) + R"(","type":"Person"})");
    CHECK_FALSE(w.run([&] { return w.posts.post(note_id(1)); }));
  }
  SECTION("our own host is never fetched") {
    auto got =
        w.run([&] { return w.posts.post("https://town.example/users/gemeente/statuses/9"); });
    CHECK(got.error() == FederationError::object_not_found);
    CHECK(w.transport.requests.empty());
  }
}

TEST_CASE("remote posts: ancestors are fetched up to the top") {
  PostsWorld w;
  serve_chain(w, 5);
  REQUIRE(w.run([&] { return w.posts.post(note_id(5)); }));
  auto fetched = w.run([&] { return w.posts.ancestors(note_id(5)); });
  REQUIRE(fetched);
  CHECK(*fetched == 4);
  for (int n = 1; n <= 5; ++n) {
    REQUIRE(w.post(note_id(n)));
    CHECK(w.post(note_id(n))->thread_root == note_id(1));
  }
  // Every fetch was recorded for the thread, and the records followed its root up.
  CHECK(w.read([&](storage::Connection& c) {
    return storage::object_fetches::count_for_thread(c, note_id(1), 0);
  }) == 4);
}

TEST_CASE("remote posts: the depth cap stops the walk") {
  PostsWorld w(with_limits(3, 100));
  serve_chain(w, 8);
  REQUIRE(w.run([&] { return w.posts.post(note_id(8)); }));
  auto fetched = w.run([&] { return w.posts.ancestors(note_id(8)); });
  REQUIRE(fetched);
  CHECK(*fetched == 3);
  CHECK(w.post(note_id(5)));
  CHECK_FALSE(w.post(note_id(4)));
}

TEST_CASE("remote posts: a reply cycle ends the walk") {
  PostsWorld w;
  NoteSpec a;
  a.id = note_id(1);
  a.in_reply_to = note_id(2);
  NoteSpec b;
  b.id = note_id(2);
  b.in_reply_to = note_id(1);
  w.serve_note(a);
  w.serve_note(b);
  REQUIRE(w.run([&] { return w.posts.post(a.id); }));
  auto fetched = w.run([&] { return w.posts.ancestors(a.id); });
  REQUIRE(fetched);
  CHECK(*fetched == 1);
  CHECK(w.transport.fetches(b.id) == 1);
  CHECK(w.transport.fetches(a.id) == 1);
}

TEST_CASE("remote posts: the per-thread budget and the failure cooldown limit fetches") {
  SECTION("budget") {
    PostsWorld w(with_limits(50, 2));
    serve_chain(w, 6);
    REQUIRE(w.run([&] { return w.posts.post(note_id(6)); }));
    CHECK(*w.run([&] { return w.posts.ancestors(note_id(6)); }) == 2);
    // The next walk in the same thread within 24 hours fetches nothing more.
    CHECK(*w.run([&] { return w.posts.ancestors(note_id(6)); }) == 0);
    CHECK_FALSE(w.post(note_id(3)));
    w.now += 25LL * 3600 * 1000;
    CHECK(*w.run([&] { return w.posts.ancestors(note_id(6)); }) == 2);
  }
  SECTION("cooldown") {
    PostsWorld w;
    NoteSpec reply;
    reply.id = note_id(2);
    reply.in_reply_to = note_id(1);  // not served: 404
    w.serve_note(reply);
    REQUIRE(w.run([&] { return w.posts.post(reply.id); }));
    CHECK(*w.run([&] { return w.posts.ancestors(reply.id); }) == 0);
    CHECK(*w.run([&] { return w.posts.ancestors(reply.id); }) == 0);
    CHECK(w.transport.fetches(note_id(1)) == 1);
    w.now += 11 * 60 * 1000;
    NoteSpec parent;
    parent.id = note_id(1);
    w.serve_note(parent);
    CHECK(*w.run([&] { return w.posts.ancestors(reply.id); }) == 1);
    CHECK(w.post(note_id(1)));
  }
}

TEST_CASE("remote posts: the per-host budget limits fetches across threads") {
  // Each thread may fetch 100, but all threads together only 3 from one host a day: many
  // threads pointing at one host cannot add up to unbounded requests to it.
  auto settings = with_limits(50, 100);
  settings.host_fetch_budget = 3;
  PostsWorld w(settings);
  const auto serve_thread = [&](const std::string& author, int first, int last) {
    for (int n = first; n <= last; ++n) {
      NoteSpec note;
      note.author = author;
      note.id = author + "/statuses/" + std::to_string(n);
      if (n > first) note.in_reply_to = author + "/statuses/" + std::to_string(n - 1);
      w.serve_note(note);
    }
  };
  serve_thread(kAnnaUri, 1, 4);    // a thread on remote.example: 4 replies to 3 ... to 1
  serve_thread(kAnnaUri, 11, 14);  // another thread on the same host
  serve_thread(kBobUri, 1, 4);     // a thread on other.example
  const auto tip = [](const std::string& author, int n) {
    return author + "/statuses/" + std::to_string(n);
  };
  REQUIRE(w.run([&] { return w.posts.post(tip(kAnnaUri, 4)); }));
  REQUIRE(w.run([&] { return w.posts.post(tip(kAnnaUri, 14)); }));
  REQUIRE(w.run([&] { return w.posts.post(tip(kBobUri, 4)); }));

  CHECK(*w.run([&] { return w.posts.ancestors(tip(kAnnaUri, 4)); }) == 3);
  // The host's budget is spent: the other thread there fetches nothing ...
  CHECK(*w.run([&] { return w.posts.ancestors(tip(kAnnaUri, 14)); }) == 0);
  CHECK(w.transport.fetches(tip(kAnnaUri, 13)) == 0);
  // ... while another host's thread is not held back.
  CHECK(*w.run([&] { return w.posts.ancestors(tip(kBobUri, 4)); }) == 3);
  // A day later the host may be asked again.
  w.now += 25LL * 3600 * 1000;
  CHECK(*w.run([&] { return w.posts.ancestors(tip(kAnnaUri, 14)); }) == 3);
}

TEST_CASE("remote posts: after a redirect the id must be on the host that answered") {
  using civicpub::testing::TestServer;
  std::string good_id;
  std::string base;
  TestServer server(civicpub::testing::ServerMode::http,
                    [&](const civicpub::testing::TestRequest& req) {
                      const std::string target(req.target());
                      if (target == "/@anna/1") {
                        return civicpub::testing::redirect_response(302, base + "/notes/1");
                      }
                      if (target == "/@anna/2") {
                        return civicpub::testing::redirect_response(302, base + "/notes/2");
                      }
                      civicpub::testing::TestResponse r{boost::beast::http::status::ok, 11};
                      r.set(boost::beast::http::field::content_type, "application/activity+json");
                      NoteSpec note;
                      note.author = base + "/users/anna";
                      if (target == "/notes/1") {
                        note.id = base + "/notes/1";
                      } else if (target == "/notes/2") {
                        note.id = "https://elsewhere.example/notes/2";
                        note.author = "https://elsewhere.example/users/anna";
                      } else if (target == "/users/anna") {
                        r.body() = test::ActorDocument(base + "/users/anna").json();
                        return r;
                      } else {
                        return civicpub::testing::text_response(404, "");
                      }
                      r.body() = test::note_json(note);
                      return r;
                    });
  base = server.url("");
  boost::asio::io_context ioc;  // outlives w's database, whose writer posts to it
  PostsWorld w;
  federation::http::HttpClient client(ioc.get_executor(), civicpub::testing::loopback_settings());
  federation::ActorResolver resolver(*w.db, client, w.instance, w.clock, {}, w.log);
  federation::RemotePosts posts(*w.db, client, w.instance, resolver, w.clock, {}, w.log);
  auto run = [&](std::string url) { return test::run_on(ioc, posts.post(std::move(url))); };
  auto moved = run(base + "/@anna/1");
  REQUIRE(moved);
  CHECK(moved->ap_id == base + "/notes/1");
  auto elsewhere = run(base + "/@anna/2");
  REQUIRE_FALSE(elsewhere);
  CHECK(elsewhere.error() == FederationError::id_mismatch);
}
