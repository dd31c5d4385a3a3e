// `civicpub group remove|lock|feature|block` as a use case (services::moderate): the local
// moderator's activity in Lemmy's shape, with its integrity proof, applied to the group and
// announced to the members; what it refuses.
#include "server/services/group_moderation.hpp"

#include "server/services/service_error.hpp"
#include "server/views/post_urls.hpp"
#include "storage/group_moderation.hpp"
#include "storage/posts.hpp"
#include "tests/unit/server/services/group_fixture.hpp"

using namespace civicpub;
using namespace civicpub::testing;
using server::services::ModerationAction;
using server::services::ServiceError;

namespace {

struct ModerationFixture : GroupFixture {
  server::services::GroupInfo group;
  std::string thread;  // town's thread in the group

  ModerationFixture() {
    server::services::NewGroup g;
    g.moderators = {"town"};
    group = create(g);
    add_follower("https://a.example/users/1", "https://a.example/users/1/inbox",
                 "https://a.example/inbox", group.actor.id);
    auto posted = post_in("wijkraad", "Vergadering dinsdag");
    REQUIRE(posted);
    thread = posted->post.ap_id;
  }
  Result<server::services::ModerationOutcome> act(ModerationAction action, std::string target,
                                                  std::string reason = {}) {
    server::services::ModerationRequest r;
    r.group = "wijkraad";
    r.action = action;
    r.target = std::move(target);
    r.reason = std::move(reason);
    r.now = ++now;
    return server::services::moderate(*db, kSettings, r);
  }
  // The group's Announce of the moderator's activity, as queued.
  rapidjson::Document announce_of(const std::string& activity_id) {
    return sent(server::views::group_announce_id(group.actor.uri, activity_id));
  }
};

}  // namespace

TEST_CASE("group moderation: a local moderator removes a thread and the members hear Delete") {
  ModerationFixture f;
  auto done = f.act(ModerationAction::remove, f.thread, "Buiten het onderwerp");
  REQUIRE(done);
  CHECK(done->done.changed);
  CHECK(done->done.posts == 1);
  CHECK(done->moderator.uri == f.town.uri);
  CHECK(f.inboxes(server::views::group_announce_id(f.group.actor.uri, done->activity_id)) ==
        std::set<std::string>{"https://a.example/inbox"});
  auto announce = f.announce_of(done->activity_id);
  const auto& removal = announce["object"];
  CHECK(std::string(removal["type"].GetString()) == "Delete");
  CHECK(std::string(removal["actor"].GetString()) == f.town.uri);
  CHECK(std::string(removal["object"].GetString()) == f.thread);
  CHECK(std::string(removal["summary"].GetString()) == "Buiten het onderwerp");
  CHECK(std::string(removal["audience"].GetString()) == f.group.actor.uri);
  CHECK(removal.HasMember("proof"));  // the moderator's own proof, as Create carries
  auto post = f.db->read(
      [&](storage::Connection& c) { return storage::posts::find_by_ap_id(c, f.thread); });
  REQUIRE(post);
  CHECK((*post)->deleted_at);

  SECTION("removing it again changes nothing") {
    auto again = f.act(ModerationAction::remove, f.thread);
    REQUIRE(again);
    CHECK_FALSE(again->done.changed);
  }
}

TEST_CASE("group moderation: lock, feature and block from the CLI") {
  ModerationFixture f;
  REQUIRE(f.act(ModerationAction::lock, f.thread));
  auto marks = f.db->read([&](storage::Connection& c) {
    return storage::groups::thread_marks(c, f.group.actor.id, f.thread);
  });
  CHECK(marks->locked);

  auto featured = f.act(ModerationAction::feature, f.thread);
  REQUIRE(featured);
  auto add = f.announce_of(featured->activity_id);
  CHECK(std::string(add["object"]["type"].GetString()) == "Add");
  CHECK(std::string(add["object"]["target"].GetString()) == f.group.actor.uri + "/featured");

  auto unlocked = f.act(ModerationAction::unlock, f.thread);
  REQUIRE(unlocked);
  auto undo = f.announce_of(unlocked->activity_id);
  CHECK(std::string(undo["object"]["type"].GetString()) == "Undo");
  CHECK(std::string(undo["object"]["object"]["type"].GetString()) == "Lock");

  auto blocked = f.act(ModerationAction::block, "@1@a.example", "spam");
  REQUIRE(blocked);
  CHECK(f.inboxes(blocked->activity_id) ==
        std::set<std::string>{"https://a.example/users/1/inbox"});

  CHECK(f.act(ModerationAction::remove, "https://town.example/users/town/statuses/1").error() ==
        ServiceError::not_in_group);
  CHECK(f.act(ModerationAction::block, "@nobody@nowhere.example").error() ==
        ServiceError::unknown_actor);
}
