#include "tests/unit/support/catch_result.hpp"
#include "federation/as2/reader.hpp"
#include "federation/delivery/outbox.hpp"
#include "federation/remote/remote_posts.hpp"
#include "server/services/moderation.hpp"
#include "server/services/reports.hpp"
#include "storage/moderation.hpp"
#include "storage/posts.hpp"
#include "storage/reports.hpp"
#include "tests/unit/server/services/services_fixture.hpp"
#include "tests/unit/support/records.hpp"

using namespace civicpub;
using civicpub::test::run;
using server::services::ModerationError;

namespace {

struct ModerationFixture : civicpub::testing::ServicesFixture {
  // A remote actor at `origin`/users/`name` (any scheme and port) following the town.
  std::int64_t add_following(const std::string& origin, const std::string& name) {
    return db
        ->write_sync([&](storage::Connection& c) -> Result<std::int64_t> {
          auto actor = test::remote_actor("x.example", name);
          actor.uri = origin + "/users/" + name;
          actor.domain = origin.substr(origin.find("://") + 3);
          actor.inbox = origin + "/inbox";
          actor.shared_inbox.clear();
          auto id = storage::actors::upsert_remote(c, actor);
          if (!id) return id;
          storage::FollowRecord f;
          f.follower_id = *id;
          f.target_id = town.id;
          f.state = storage::FollowState::accepted;
          f.created_at = f.updated_at = now;
          if (auto r = storage::follows::upsert(c, f); !r) return r.error();
          return id;
        })
        .value();
  }
  std::int64_t add_post(std::int64_t author, const std::string& id) {
    storage::PostRecord p;
    p.ap_id = id;
    p.author_id = author;
    p.thread_root = id;
    p.visibility = storage::Visibility::public_;
    p.content_html = "<p>x</p>";
    p.published = now;
    return db->write_sync([&](storage::Connection& c) { return storage::posts::insert(c, p); })
        .value();
  }
  bool hidden(const std::string& id) {
    auto post = db->read([&](storage::Connection& c) { return storage::posts::find_by_ap_id(c, id); })
                    .value();
    REQUIRE(post);
    return post->deleted_at.has_value();
  }
  std::size_t queue(const std::string& inbox) {
    return db
        ->write_sync([&](storage::Connection& c) {
          return federation::enqueue_activity(c, town.uri + "/act/" + inbox, town.id, "{}",
                                              {inbox}, now);
        })
        .value();
  }
};

}  // namespace

TEST_CASE_METHOD(ModerationFixture, "domain block: severs follows, hides posts, drops deliveries") {
  const auto eve = add_follower("https://a.spam.example/users/eve", "https://a.spam.example/users/eve/inbox",
                                "https://a.spam.example/inbox", town.id);
  const auto ann = add_follower("https://good.example/users/ann", "https://good.example/inbox", "",
                                town.id);
  add_post(eve, "https://a.spam.example/notes/1");
  add_post(ann, "https://good.example/notes/1");
  REQUIRE(queue("https://a.spam.example/inbox") == 1);

  auto blocked = server::services::block_domain(*db, "*.Spam.Example", "spam", true, now);
  REQUIRE(blocked);
  CHECK(blocked->pattern == "*.spam.example");
  CHECK(blocked->added);
  CHECK(blocked->domains == std::vector<std::string>{"a.spam.example"});
  CHECK(blocked->follows_severed == 1);
  CHECK(blocked->posts_hidden == 1);
  CHECK(blocked->deliveries_dropped == 1);
  CHECK(hidden("https://a.spam.example/notes/1"));
  CHECK_FALSE(hidden("https://good.example/notes/1"));
  CHECK(deliveries().empty());
  // Nothing new is queued for it; other servers still get theirs.
  CHECK(queue("https://b.spam.example/inbox") == 0);
  CHECK(queue("https://good.example/inbox") == 1);

  auto listed = server::services::list_domain_blocks(*db).value();
  REQUIRE(listed.size() == 1);
  CHECK(listed[0].reason == "spam");
  CHECK(listed[0].reject_media);

  federation::BlockList blocks;
  REQUIRE(server::services::load_block_list(*db, blocks));
  CHECK(blocks.check_actor("https://a.spam.example/users/eve") == federation::Blocked::domain);

  CHECK(server::services::unblock_domain(*db, "*.spam.example").value() == "*.spam.example");
  CHECK_FALSE(hidden("https://a.spam.example/notes/1"));
  CHECK(server::services::unblock_domain(*db, "*.spam.example").error() ==
        ModerationError::not_blocked);
  CHECK(server::services::block_domain(*db, "https://x", "", false, now).error() ==
        ModerationError::bad_pattern);
}

TEST_CASE_METHOD(ModerationFixture, "domain block: a port-specific block leaves other ports alone") {
  add_following("http://127.0.0.1:9000", "a");
  add_following("http://127.0.0.1:9001", "b");
  auto blocked = server::services::block_domain(*db, "127.0.0.1:9000", "", false, now).value();
  CHECK(blocked.domains == std::vector<std::string>{"127.0.0.1:9000"});
  CHECK(blocked.follows_severed == 1);
  CHECK(queue("http://127.0.0.1:9000/inbox") == 0);
  CHECK(queue("http://127.0.0.1:9001/inbox") == 1);
}

TEST_CASE_METHOD(ModerationFixture, "actor suspension hides posts until it is lifted") {
  const auto eve_uri = std::string("https://spam.example/users/eve");
  const auto eve = add_follower(eve_uri, "https://spam.example/inbox", "", town.id);
  add_post(eve, "https://spam.example/notes/1");
  auto actor = db->read([&](storage::Connection& c) { return storage::actors::find_by_id(c, eve); })
                   .value()
                   .value();
  REQUIRE(server::services::suspend_actor(*db, actor, "abuse", now));
  CHECK(hidden("https://spam.example/notes/1"));
  federation::BlockList blocks;
  REQUIRE(server::services::load_block_list(*db, blocks));
  CHECK(blocks.check_actor(eve_uri + "#main-key") == federation::Blocked::actor);
  CHECK(server::services::suspend_actor(*db, town, "", now).error() == ModerationError::local_actor);

  // With its domain blocked as well, lifting the suspension does not show the posts yet.
  REQUIRE(server::services::block_domain(*db, "spam.example", "", false, now));
  REQUIRE(server::services::unsuspend_actor(*db, actor));
  CHECK(hidden("https://spam.example/notes/1"));
  CHECK(server::services::unsuspend_actor(*db, actor).error() == ModerationError::not_suspended);
  REQUIRE(server::services::unblock_domain(*db, "spam.example"));
  CHECK_FALSE(hidden("https://spam.example/notes/1"));
}

TEST_CASE_METHOD(ModerationFixture, "report send: a Flag in Mastodon's shape to the author's inbox") {
  const auto eve = add_remote("eve", "spam.example");
  auto instance_info = instance();
  instance_info.instance_actor_id = server::services::instance_actor_uri(instance_info.base_url);
  REQUIRE(server::services::ensure_instance_actor(*db, {"https://town.example", "town.example"},
                                                  "Town"));
  auto log = std::make_shared<spdlog::logger>("t", std::make_shared<spdlog::sinks::null_sink_mt>());
  federation::RemotePosts posts(*db, transport, instance_info, resolver, [this] { return now; }, {},
                                log);
  server::services::ReportSender sender{*db, instance_info, resolver, posts};
  auto sent = run([&] {
    return server::services::send_report(sender, {eve, "spam everywhere", now});
  });
  REQUIRE(sent);
  CHECK(sent->direction == storage::ReportDirection::sent);
  CHECK(sent->account_uri == eve);
  CHECK(sent->activity_uri.starts_with("https://town.example/reports/"));
  auto rows = deliveries();
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].inbox_url == eve + "/inbox");
  auto doc = federation::as2::parse_json(rows[0].body);
  REQUIRE(doc);
  CHECK(std::string((*doc)["type"].GetString()) == "Flag");
  CHECK(std::string((*doc)["actor"].GetString()) == instance_info.instance_actor_id);
  CHECK(std::string((*doc)["content"].GetString()) == "spam everywhere");
  REQUIRE((*doc)["object"].IsArray());
  CHECK(std::string((*doc)["object"][0].GetString()) == eve);
  CHECK(server::services::list_reports(*db, false, 10).value().size() == 1);

  // Our own accounts are not reported to ourselves.
  auto local = run([&] { return server::services::send_report(sender, {town.uri, "x", now}); });
  REQUIRE_FALSE(local);
  CHECK(local.error() == ModerationError::nothing_to_report);
}
