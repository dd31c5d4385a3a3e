// Fetched documents and origins (issue 11 items 4, 6 and 7): after a redirect a document is
// judged by the origin that finally answered (the CVE-2024-23832 class), an https fetch sent to
// http is refused, a blocked domain is never fetched (nor redirected to), and a sharedInbox on
// another origin than its actor is not used.
#include "tests/unit/support/post_fixtures.hpp"

#include "federation/federation_error.hpp"
#include "federation/remote/signed_fetch.hpp"

using namespace civicpub;
using federation::FederationError;
using test::kAnnaUri;
using test::NoteSpec;
using test::PostsWorld;

namespace {

const std::string kNote = kAnnaUri + "/statuses/1";

// `url` answers 200 with `body` as if redirected to `final_url`.
void answer_redirected(test::FakeTransport& t, const std::string& url, const std::string& final_url,
                       const std::string& body) {
  t.respond = [url, final_url, body](const test::FakeTransport::Request& r)
      -> Result<test::FakeTransport::Response> {
    test::FakeTransport::Response out;
    if (r.url != url) {
      out.status = 404;
      return out;
    }
    out.status = 200;
    out.body = body;
    out.final_url = final_url;
    return out;
  };
}

federation::RemotePostsSettings blocking(std::string domain) {
  federation::RemotePostsSettings s;
  s.blocks = std::make_shared<federation::BlockList>(
      std::vector{federation::config_domain_rule(std::move(domain))});
  return s;
}

}  // namespace

TEST_CASE("origin: served_by_its_origin judges the id by the origin that answered") {
  using federation::served_by_its_origin;
  const std::string asked = "https://a.example/notes/1";
  CHECK(served_by_its_origin(asked, asked, asked));
  CHECK(served_by_its_origin(asked, asked, ""));
  CHECK_FALSE(served_by_its_origin("https://a.example/notes/2", asked, asked));
  // Redirected elsewhere: that server may only speak for its own ids.
  CHECK_FALSE(served_by_its_origin(asked, asked, "https://evil.example/x"));
  CHECK(served_by_its_origin("https://evil.example/x", asked, "https://evil.example/x"));
  CHECK_FALSE(served_by_its_origin(asked, asked, "https://a.example:8443/x"));
  CHECK_FALSE(served_by_its_origin(asked, asked, "http://a.example/x"));
  CHECK(served_by_its_origin(asked, asked, "https://a.example/notes/1/"));
}

TEST_CASE("origin: a post redirected to another origin cannot speak for the id asked for") {
  PostsWorld w;
  NoteSpec note;
  note.id = kNote;
  answer_redirected(w.transport, kNote, "https://evil.example/copy", test::note_json(note));
  auto got = w.run([&] { return w.posts.post(kNote); });
  REQUIRE_FALSE(got);
  CHECK(got.error() == FederationError::id_mismatch);
  CHECK_FALSE(w.post(kNote));
}

TEST_CASE("origin: an actor document redirected to another origin is refused") {
  PostsWorld w;
  const std::string carl = "https://third.example/users/carl";
  answer_redirected(w.transport, carl, "https://evil.example/users/carl",
                    test::ActorDocument(carl).json());
  auto got = w.run([&] { return w.resolver->resolve(carl); });
  REQUIRE_FALSE(got);
  CHECK(got.error() == FederationError::origin_mismatch);

  SECTION("a redirect within the actor's origin is fine") {
    answer_redirected(w.transport, carl, carl + "/", test::ActorDocument(carl).json());
    CHECK(w.run([&] { return w.resolver->resolve(carl); }));
  }
}

TEST_CASE("origin: a signed fetch redirected from https to http is refused") {
  PostsWorld w;
  NoteSpec note;
  note.id = kNote;
  answer_redirected(w.transport, kNote, "http://remote.example/users/anna/statuses/1",
                    test::note_json(note));
  auto got = w.run([&] { return w.posts.post(kNote); });
  REQUIRE_FALSE(got);
  CHECK(got.error() == FederationError::insecure_redirect);
  CHECK_FALSE(w.post(kNote));
}

TEST_CASE("origin: a blocked domain is never fetched, nor reached by a redirect") {
  PostsWorld w(blocking("Remote.Example"));
  NoteSpec note;
  note.id = kNote;
  w.serve_note(note);
  SECTION("a post, its parents, a backfill start") {
    auto got = w.run([&] { return w.posts.post(kNote); });
    REQUIRE_FALSE(got);
    CHECK(got.error() == FederationError::blocked_domain);
    auto up = w.run([&] { return w.posts.ancestors(kNote); });
    auto back = w.run([&] { return w.posts.backfill(kNote); });
    (void)up;
    (void)back;
    CHECK(w.transport.fetches(kNote) == 0);
    CHECK_FALSE(w.post(kNote));
  }
  SECTION("a post elsewhere redirected into the blocked domain") {
    const std::string elsewhere = "https://third.example/notes/1";
    answer_redirected(w.transport, elsewhere, "https://sub.remote.example/notes/1",
                      test::note_json(note));
    auto got = w.run([&] { return w.posts.post(elsewhere); });
    REQUIRE_FALSE(got);
    CHECK(got.error() == FederationError::blocked_domain);
  }
}

TEST_CASE("origin: actors and keys on a blocked domain are never fetched") {
  PostsWorld w;
  federation::ActorResolverSettings settings;
  settings.blocks = std::make_shared<federation::BlockList>(
      std::vector{federation::config_domain_rule("remote.example")});
  federation::ActorResolver resolver(*w.db, w.transport, w.instance, w.clock, settings, w.log);
  auto got = w.run([&] { return resolver.resolve(kAnnaUri); });
  REQUIRE_FALSE(got);
  CHECK(got.error() == FederationError::blocked_domain);
  auto key = w.run([&] { return resolver.resolve_key(kAnnaUri + "#main-key"); });
  REQUIRE_FALSE(key);
  CHECK(w.transport.fetches(kAnnaUri) == 0);
}

TEST_CASE("origin: a sharedInbox on another origin than its actor is not used") {
  PostsWorld w;
  const std::string carl = "https://third.example/users/carl";
  std::string json = test::ActorDocument(carl).json();
  const std::string shared = "https://third.example/inbox";
  json.replace(json.find(shared), shared.size(), "https://evil.example/inbox");
  w.transport.answer(carl, 200, json);
  auto got = w.run([&] { return w.resolver->resolve(carl); });
  REQUIRE(got);
  CHECK(got->shared_inbox.empty());
  CHECK(got->inbox == carl + "/inbox");
}
