// A reply written here into a thread owned elsewhere is addressed to the thread's owner
// (FEP-7888: context.attributedTo), so a reply to a reply reaches the server that keeps the
// conversation together: public and unlisted replies only, in `cc` without a Mention.
#include "tests/unit/server/services/post_service_fixture.hpp"

#include "server/views/note_view.hpp"
#include "storage/posts.hpp"

#include <algorithm>
#include <set>

using namespace civicpub;
using civicpub::test::run;
using civicpub::testing::ids;
using server::services::PublishRequest;

namespace {

const std::string kOlgaHost = "owner.example";
const std::string kRoot = "https://owner.example/notes/1";
const std::string kContext = "https://owner.example/contexts/1";
const std::string kBobReply = "https://other.example/notes/2";

storage::ActorRecord person(const std::string& host, const std::string& name) {
  return civicpub::testing::remote_person(host, name, "https://" + host + "/inbox");
}

storage::PostRecord note(const std::string& id, const std::string& in_reply_to,
                         const std::string& thread_root) {
  storage::PostRecord p;
  p.ap_id = id;
  p.in_reply_to = in_reply_to;
  p.thread_root = thread_root;
  p.context = kContext;
  p.content_html = "<p>remote</p>";
  p.published = civicpub::testing::ServicesFixture::kNow - 5000;
  return p;
}

struct OwnerFixture : civicpub::testing::PostFixture {
  const storage::ActorRecord olga = person(kOlgaHost, "olga");
  const storage::ActorRecord bob = person("other.example", "bob");

  // bob's reply to olga's thread root; the root is "fetched" with the thread above the parent
  // when `root_stored`, else only the context collection knows the owner.
  explicit OwnerFixture(bool root_stored = true) {
    fetcher.serve(note(kBobReply, kRoot, kRoot), bob);
    if (root_stored) {
      fetcher.serve_ancestor(note(kRoot, "", kRoot), olga);
    } else {
      fetcher.serve_context_owner(kContext, olga);
    }
  }

  Result<server::services::PostOutcome> reply_to_bob(storage::Visibility v) {
    return reply(kBobReply, "Agreed", v);
  }
};

}  // namespace

TEST_CASE("reply owner: a public reply in a remote thread reaches the owner of the stored root") {
  OwnerFixture f;
  auto outcome = f.reply_to_bob(storage::Visibility::public_);
  REQUIRE(outcome.has_value());
  CHECK(outcome->post.thread_root == kRoot);
  CHECK(f.inboxes(outcome->activity_id) ==
        std::set<std::string>{"https://other.example/inbox", "https://owner.example/inbox"});
  auto doc = f.sent(outcome->activity_id);
  const auto& object = doc["object"];
  CHECK(ids(object["cc"]).count(f.olga.uri) == 1);  // addressed ...
  for (const auto& tag : object["tag"].GetArray()) {
    CHECK(std::string(tag["href"].GetString()) != f.olga.uri);  // ... but not mentioned
  }
  CHECK(ids(doc["cc"]).count(f.olga.uri) == 1);
  CHECK(f.fetcher.contexts_asked.empty());  // the stored root named the owner

  // The Note served here later, its edit and its delete address the owner the same way.
  const auto stored = f.stored_post(outcome->post.ap_id);
  auto details =
      f.db->read([&](storage::Connection& c) { return server::views::note_details(c, stored.id); })
          .value();
  CHECK(details.context_owner == f.olga.uri);
  f.now += 1000;
  auto edited = run(f.service.edit({outcome->post.ap_id, "Agreed, twice", {}, {}}));
  REQUIRE(edited.has_value());
  CHECK(f.inboxes(edited->activity_id).count("https://owner.example/inbox") == 1);
  f.now += 1000;
  auto removed = run(f.service.remove(outcome->post.ap_id));
  REQUIRE(removed.has_value());
  CHECK(f.inboxes(removed->activity_id).count("https://owner.example/inbox") == 1);
}

TEST_CASE("reply owner: without the root, the context collection's attributedTo is the owner") {
  OwnerFixture f(false);
  auto outcome = f.reply_to_bob(storage::Visibility::unlisted);
  REQUIRE(outcome.has_value());
  CHECK(f.fetcher.contexts_asked == std::vector<std::string>{kContext});
  CHECK(f.inboxes(outcome->activity_id).count("https://owner.example/inbox") == 1);
  auto doc = f.sent(outcome->activity_id);
  CHECK(ids(doc["object"]["cc"]).count(f.olga.uri) == 1);
}

TEST_CASE("reply owner: a followers-only or direct reply is not widened to the owner") {
  OwnerFixture f;
  const auto v = GENERATE(storage::Visibility::followers, storage::Visibility::direct);
  auto outcome = f.reply_to_bob(v);
  REQUIRE(outcome.has_value());
  CHECK(f.inboxes(outcome->activity_id) == std::set<std::string>{"https://other.example/inbox"});
  auto doc = f.sent(outcome->activity_id);
  CHECK(ids(doc["object"]["to"]).count(f.olga.uri) == 0);
  if (doc["object"].HasMember("cc")) CHECK(ids(doc["object"]["cc"]).count(f.olga.uri) == 0);
}

TEST_CASE("reply owner: a reply to the top post reaches its author, the owner, once") {
  OwnerFixture f;
  f.fetcher.serve(note(kRoot, "", kRoot), f.olga);
  auto outcome = run(f.service.publish(
      PublishRequest{"town", "On the plan", storage::Visibility::public_, "", kRoot,
                     std::nullopt}));
  REQUIRE(outcome.has_value());
  CHECK(f.fetcher.contexts_asked.empty());
  CHECK(f.inboxes(outcome->activity_id) == std::set<std::string>{"https://owner.example/inbox"});
  auto details = f.db->read([&](storage::Connection& c) {
                       return server::views::note_details(c, outcome->post.id);
                     })
                     .value();
  CHECK(details.context_owner == f.olga.uri);
  auto doc = f.sent(outcome->activity_id);
  const auto& cc = doc["object"]["cc"];
  CHECK(std::count_if(cc.Begin(), cc.End(),
                      [&](const rapidjson::Value& v) { return f.olga.uri == v.GetString(); }) == 1);
}
