// A reply written here into a thread owned elsewhere is addressed to the thread's owner
// (FEP-7888: context.attributedTo), so a reply to a reply reaches the server that keeps the
// conversation together: public and unlisted replies only, in `cc` without a Mention.
#include "tests/unit/support/fake_post_fetcher.hpp"
#include "federation/as2/reader.hpp"
#include "server/services/post_service.hpp"
#include "server/views/note_view.hpp"
#include "tests/unit/server/services/services_fixture.hpp"
#include "storage/posts.hpp"

#include <algorithm>
#include <set>

using namespace civicpub;
using civicpub::testing::run;
using server::services::PostService;
using server::services::PublishRequest;

namespace {

const std::string kOlgaHost = "owner.example";
const std::string kRoot = "https://owner.example/notes/1";
const std::string kContext = "https://owner.example/contexts/1";
const std::string kBobReply = "https://other.example/notes/2";

storage::ActorRecord person(const std::string& host, const std::string& name) {
  storage::ActorRecord a;
  a.uri = "https://" + host + "/users/" + name;
  a.type = "Person";
  a.username = name;
  a.domain = host;
  a.inbox = a.uri + "/inbox";
  a.shared_inbox = "https://" + host + "/inbox";
  a.followers = a.uri + "/followers";
  a.key_id = a.uri + "#main-key";
  a.public_key_pem = "PEM";
  a.raw_json = "{}";
  a.created_at = a.updated_at = a.fetched_at = civicpub::testing::ServicesFixture::kNow;
  return a;
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

std::set<std::string> ids(const rapidjson::Value& array) {
  std::set<std::string> out;
  for (const auto& v : array.GetArray()) out.insert(v.GetString());
  return out;
}

struct OwnerFixture : civicpub::testing::ServicesFixture {
  civicpub::testing::FakePostFetcher fetcher{*db};
  PostService service{
      *db, lookup, fetcher, {"https://town.example", "town.example"}, [this] { return now; }, 7};
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

  Result<server::services::PostOutcome> reply(storage::Visibility v) {
    return run(service.publish(PublishRequest{"town", "Agreed", v, "", kBobReply}));
  }

  const storage::DeliveryRecord* row_of(const std::vector<storage::DeliveryRecord>& rows,
                                        const std::string& activity_id) {
    for (const auto& r : rows) {
      if (r.activity_id == activity_id) return &r;
    }
    return nullptr;
  }
  std::set<std::string> inboxes(const std::string& activity_id) {
    std::set<std::string> out;
    for (const auto& r : deliveries()) {
      if (r.activity_id == activity_id) out.insert(r.inbox_url);
    }
    return out;
  }
};

}  // namespace

TEST_CASE("reply owner: a public reply in a remote thread reaches the owner of the stored root") {
  OwnerFixture f;
  auto outcome = f.reply(storage::Visibility::public_);
  REQUIRE(outcome.has_value());
  CHECK(outcome->post.thread_root == kRoot);
  CHECK(f.inboxes(outcome->activity_id) ==
        std::set<std::string>{"https://other.example/inbox", "https://owner.example/inbox"});
  const auto rows = f.deliveries();
  auto doc = federation::as2::parse_json(f.row_of(rows, outcome->activity_id)->body).value();
  const auto& object = doc["object"];
  CHECK(ids(object["cc"]).count(f.olga.uri) == 1);  // addressed ...
  for (const auto& tag : object["tag"].GetArray()) {
    CHECK(std::string(tag["href"].GetString()) != f.olga.uri);  // ... but not mentioned
  }
  CHECK(ids(doc["cc"]).count(f.olga.uri) == 1);
  CHECK(f.fetcher.contexts_asked.empty());  // the stored root named the owner

  // The Note served here later, its edit and its delete address the owner the same way.
  auto stored = f.db->read([&](storage::Connection& c) {
                      return storage::posts::find_by_ap_id(c, outcome->post.ap_id);
                    })
                    .value();
  REQUIRE(stored);
  auto details = f.db->read([&](storage::Connection& c) {
                       return server::views::note_details(c, stored->id);
                     })
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
  auto outcome = f.reply(storage::Visibility::unlisted);
  REQUIRE(outcome.has_value());
  CHECK(f.fetcher.contexts_asked == std::vector<std::string>{kContext});
  CHECK(f.inboxes(outcome->activity_id).count("https://owner.example/inbox") == 1);
  const auto rows = f.deliveries();
  auto doc = federation::as2::parse_json(f.row_of(rows, outcome->activity_id)->body).value();
  CHECK(ids(doc["object"]["cc"]).count(f.olga.uri) == 1);
}

TEST_CASE("reply owner: a followers-only or direct reply is not widened to the owner") {
  OwnerFixture f;
  const auto v = GENERATE(storage::Visibility::followers, storage::Visibility::direct);
  auto outcome = f.reply(v);
  REQUIRE(outcome.has_value());
  CHECK(f.inboxes(outcome->activity_id) == std::set<std::string>{"https://other.example/inbox"});
  const auto rows = f.deliveries();
  auto doc = federation::as2::parse_json(f.row_of(rows, outcome->activity_id)->body).value();
  CHECK(ids(doc["object"]["to"]).count(f.olga.uri) == 0);
  if (doc["object"].HasMember("cc")) CHECK(ids(doc["object"]["cc"]).count(f.olga.uri) == 0);
}

TEST_CASE("reply owner: a reply to the top post reaches its author, the owner, once") {
  OwnerFixture f;
  f.fetcher.serve(note(kRoot, "", kRoot), f.olga);
  auto outcome = run(f.service.publish(
      PublishRequest{"town", "On the plan", storage::Visibility::public_, "", kRoot}));
  REQUIRE(outcome.has_value());
  CHECK(f.fetcher.contexts_asked.empty());
  CHECK(f.inboxes(outcome->activity_id) == std::set<std::string>{"https://owner.example/inbox"});
  auto details = f.db->read([&](storage::Connection& c) {
                       return server::views::note_details(c, outcome->post.id);
                     })
                     .value();
  CHECK(details.context_owner == f.olga.uri);
  const auto rows = f.deliveries();
  auto doc = federation::as2::parse_json(f.row_of(rows, outcome->activity_id)->body).value();
  const auto& cc = doc["object"]["cc"];
  CHECK(std::count_if(cc.Begin(), cc.End(),
                      [&](const rapidjson::Value& v) { return f.olga.uri == v.GetString(); }) == 1);
}
