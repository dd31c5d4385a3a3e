// Civic groups as a use case (issue 12): creating, changing and showing groups, answering held
// joins, and a local member's post in a group (audience, addressing, the group's Announce).
#include "server/services/groups.hpp"

#include "server/services/follow_requests.hpp"
#include "server/services/service_error.hpp"
#include "server/views/post_urls.hpp"
#include "storage/follows.hpp"
#include "storage/groups.hpp"
#include "tests/unit/server/services/group_fixture.hpp"

using namespace civicpub;
using namespace civicpub::testing;
using server::services::GroupChange;
using server::services::MemberAnswer;
using server::services::NewGroup;
using server::services::ServiceError;

using testing::GroupFixture;
using testing::kSettings;

TEST_CASE("groups: create makes a Group actor with keys, settings and moderators") {
  GroupFixture f;
  NewGroup g;
  g.display_name = "Wijkraad Centrum";
  g.summary = "De wijkraad";
  g.moderators = {"town", "@town@town.example"};
  g.members_only = true;
  g.approve_members = true;
  auto info = f.create(g);
  CHECK(info.actor.type == "Group");
  CHECK(info.actor.uri == "https://town.example/users/wijkraad");
  CHECK(info.actor.display_name == "Wijkraad Centrum");
  CHECK(info.actor.manually_approves_followers);
  CHECK(info.settings.members_only);
  CHECK_FALSE(info.settings.posting_restricted_to_mods);
  REQUIRE(info.moderators.size() == 1);
  CHECK(info.moderators[0].uri == f.town.uri);

  auto listed = server::services::list_groups(*f.db);
  REQUIRE(listed);
  REQUIRE(listed->size() == 1);
  CHECK((*listed)[0].actor.username == "wijkraad");

  SECTION("the name is an account handle: taken names are refused both ways") {
    NewGroup again;
    again.name = "town";
    auto taken = server::services::create_group(*f.db, kSettings, again);
    REQUIRE_FALSE(taken);
    CHECK(taken.error() == server::services::AccountError::username_taken);
  }
  SECTION("an unknown moderator leaves nothing behind") {
    NewGroup bad;
    bad.name = "fietsplan";
    bad.moderators = {"nobody"};
    auto refused = server::services::create_group(*f.db, kSettings, bad);
    REQUIRE_FALSE(refused);
    CHECK(refused.error() == ServiceError::unknown_moderator);
    CHECK(server::services::get_group(*f.db, "fietsplan").error() == ServiceError::unknown_group);
  }
  SECTION("an account is not a group") {
    CHECK(server::services::get_group(*f.db, "town").error() == ServiceError::unknown_group);
  }
}

TEST_CASE("groups: update changes only what is given") {
  GroupFixture f;
  f.create({});
  GroupChange change;
  change.display_name = "Wijkraad";
  change.posting_restricted_to_mods = true;
  change.add_moderators = {"town"};
  auto updated = server::services::update_group(*f.db, kSettings, "wijkraad", change);
  REQUIRE(updated);
  CHECK(updated->actor.display_name == "Wijkraad");
  CHECK(updated->settings.posting_restricted_to_mods);
  CHECK_FALSE(updated->settings.members_only);
  CHECK(updated->moderators.size() == 1);

  GroupChange remove;
  remove.remove_moderators = {"town"};
  remove.approve_members = true;
  updated = server::services::update_group(*f.db, kSettings, "wijkraad", remove);
  REQUIRE(updated);
  CHECK(updated->moderators.empty());
  CHECK(updated->actor.manually_approves_followers);
  CHECK(updated->actor.display_name == "Wijkraad");  // kept
  CHECK(server::services::update_group(*f.db, kSettings, "nope", {}).error() ==
        ServiceError::unknown_group);
}

TEST_CASE("groups: a held join is approved with an Accept, a member removed with a Reject") {
  GroupFixture f;
  NewGroup g;
  g.approve_members = true;
  auto info = f.create(g);
  const std::string anna = "https://a.example/users/anna";
  f.add_follower(anna, anna + "/inbox", "https://a.example/inbox", info.actor.id);
  // add_follower makes an accepted follow: hold it, as on_follow does for this group.
  REQUIRE(f.db->write_sync([&](storage::Connection& c) -> Result<void> {
    auto member = storage::actors::find_by_uri(c, anna);
    if (!member) return member.error();
    auto follow = storage::follows::find_by_pair(c, (*member)->id, info.actor.id);
    if (!follow) return follow.error();
    return storage::follows::set_state(c, (*follow)->id, storage::FollowState::pending,
                                       GroupFixture::kNow);
  }));
  auto members = server::services::group_members(*f.db, "wijkraad");
  REQUIRE(members);
  CHECK(members->members.empty());
  REQUIRE(members->pending.size() == 1);

  auto approved = server::services::answer_member(*f.db, "wijkraad", "@anna@a.example",
                                                  MemberAnswer::approve, GroupFixture::kNow);
  REQUIRE(approved);
  CHECK(approved->uri == anna);
  CHECK(server::services::group_members(*f.db, "wijkraad")->members.size() == 1);
  CHECK(
      f.inboxes(server::services::follow_answer_id(info.actor.uri, "accepts", anna + "#follow")) ==
      std::set<std::string>{anna + "/inbox"});
  // Approving again: she is no longer waiting.
  CHECK(server::services::answer_member(*f.db, "wijkraad", anna, MemberAnswer::approve,
                                        GroupFixture::kNow)
            .error() == ServiceError::not_following);

  auto removed = server::services::answer_member(*f.db, "wijkraad", anna, MemberAnswer::reject,
                                                 GroupFixture::kNow);
  REQUIRE(removed);
  CHECK(server::services::group_members(*f.db, "wijkraad")->members.empty());
  CHECK(
      f.inboxes(server::services::follow_answer_id(info.actor.uri, "rejects", anna + "#follow")) ==
      std::set<std::string>{anna + "/inbox"});
}

TEST_CASE("groups: a local post in a group carries audience and is announced to the members") {
  GroupFixture f;
  auto info = f.create({});
  f.add_follower("https://a.example/users/1", "https://a.example/users/1/inbox",
                 "https://a.example/inbox", info.actor.id);
  f.add_follower("https://b.example/users/2", "https://b.example/users/2/inbox", "", info.actor.id);
  // A follower of the author, so the Create itself is queued somewhere to look at.
  f.add_follower("https://c.example/users/3", "https://c.example/users/3/inbox",
                 "https://c.example/inbox", f.town.id);
  auto posted = f.post_in("wijkraad", "Vergadering dinsdag");
  REQUIRE(posted);
  const auto create = f.sent(posted->activity_id);
  const auto& note = create["object"];
  CHECK(std::string(note["audience"].GetString()) == info.actor.uri);
  std::set<std::string> to;
  for (const auto& v : note["to"].GetArray()) to.insert(v.GetString());
  CHECK(to.count(info.actor.uri) == 1);
  CHECK(to.count(std::string(kPublic)) == 1);
  CHECK(create.HasMember("proof"));
  // The group owns the thread: the context is its collection (served under the group).
  CHECK(std::string(note["context"].GetString()) ==
        server::views::group_context_url(info.actor.uri, posted->post.ap_id));

  const auto announce_id = server::views::group_announce_id(info.actor.uri, posted->activity_id);
  CHECK(f.inboxes(announce_id) ==
        std::set<std::string>{"https://a.example/inbox", "https://b.example/users/2/inbox"});
  const auto announce = f.sent(announce_id);
  CHECK(std::string(announce["actor"].GetString()) == info.actor.uri);
  // The Create embedded as the author sent it, its proof included.
  CHECK(std::string(announce["object"]["id"].GetString()) == posted->activity_id);
  CHECK(announce["object"].HasMember("proof"));
  // A new thread: the bare post is announced too (Mastodon followers see the thread).
  CHECK(f.inboxes(server::views::group_object_announce_id(info.actor.uri, posted->activity_id))
            .size() == 2);

  SECTION("a reply in the group's thread is the group's without naming it") {
    auto reply = f.reply(posted->post.ap_id, "Ik kom");
    REQUIRE(reply);
    const auto reply_announce =
        server::views::group_announce_id(info.actor.uri, reply->activity_id);
    CHECK(f.inboxes(reply_announce).size() == 2);
    CHECK(f.inboxes(server::views::group_object_announce_id(info.actor.uri, reply->activity_id))
              .empty());
    CHECK(std::string(f.sent(reply->activity_id)["object"]["audience"].GetString()) ==
          info.actor.uri);
    CHECK(reply->post.context == posted->post.context);
  }
}

TEST_CASE("groups: local posts the group's rules refuse are not published") {
  GroupFixture f;
  NewGroup g;
  g.members_only = true;
  f.create(g);
  auto refused = f.post_in("wijkraad", "Hallo");
  REQUIRE_FALSE(refused);
  CHECK(refused.error() == ServiceError::not_a_member);
  CHECK(f.deliveries().empty());
  CHECK(f.post_in("nogroup", "Hallo").error() == ServiceError::unknown_group);

  GroupChange change;
  change.members_only = false;
  change.posting_restricted_to_mods = true;
  REQUIRE(server::services::update_group(*f.db, kSettings, "wijkraad", change));
  CHECK(f.post_in("wijkraad", "Hallo").error() == ServiceError::moderators_only);
  change = {};
  change.add_moderators = {"town"};
  REQUIRE(server::services::update_group(*f.db, kSettings, "wijkraad", change));
  CHECK(f.post_in("wijkraad", "Hallo"));
}

TEST_CASE("groups: the members hear of a changed group through Update(actor)") {
  GroupFixture f;
  auto info = f.create({});
  f.add_follower("https://a.example/users/1", "https://a.example/users/1/inbox",
                 "https://a.example/inbox", info.actor.id);
  GroupChange change;
  change.display_name = "Wijkraad Centrum";
  change.posting_restricted_to_mods = true;
  REQUIRE(server::services::update_group(*f.db, kSettings, "wijkraad", change));
  auto sent = server::services::send_group_update(*f.db, GroupFixture::instance(), "wijkraad",
                                                  GroupFixture::kNow + 5);
  REQUIRE(sent);
  CHECK(*sent == 1);
  const auto id = info.actor.uri + "#updates/" + std::to_string(GroupFixture::kNow + 5);
  CHECK(f.inboxes(id) == std::set<std::string>{"https://a.example/inbox"});
  const auto update = f.sent(id);
  CHECK(std::string(update["type"].GetString()) == "Update");
  CHECK(std::string(update["object"]["type"].GetString()) == "Group");
  CHECK(std::string(update["object"]["name"].GetString()) == "Wijkraad Centrum");
  CHECK(update["object"]["postingRestrictedToMods"].GetBool());
  CHECK(server::services::send_group_update(*f.db, GroupFixture::instance(), "nope",
                                            GroupFixture::kNow)
            .error() == ServiceError::unknown_group);
}

TEST_CASE("groups: only a thread started in the group has the group's context") {
  GroupFixture f;
  auto info = f.create({});
  // Naming the group in the text is no `--group`: the author's own thread and context, and the
  // group announces nothing.
  auto mentioning = f.post_in("", "@wijkraad@town.example kijk eens");
  REQUIRE(mentioning);
  CHECK(mentioning->post.context == server::views::context_url(mentioning->post.ap_id));
  CHECK(f.inboxes(server::views::group_announce_id(info.actor.uri, mentioning->activity_id))
            .empty());
  // A reply to that thread stays in the author's context too.
  auto reply = f.reply(mentioning->post.ap_id, "Ik kom");
  REQUIRE(reply);
  CHECK(reply->post.context == mentioning->post.context);
  // `--group` makes it the group's.
  auto started = f.post_in("wijkraad", "Vergadering");
  REQUIRE(started);
  CHECK(started->post.context ==
        server::views::group_context_url(info.actor.uri, started->post.ap_id));
}
