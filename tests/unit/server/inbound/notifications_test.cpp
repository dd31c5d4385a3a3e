// Notifications caused by peers: stored by the inbound handlers in the write of the event (a
// reply or mention, a Follow, a Like, an Announce), once however often the activity arrives.
#include "tests/unit/server/inbound/inbound_fixtures.hpp"

#include "server/services/notifications.hpp"
#include "storage/notifications.hpp"

using namespace civicpub;
using test::create_of;
using test::InboundWorld;
using test::kAnnaUri;
using test::NoteSpec;

namespace {

storage::PageQuery page_of(int limit) {
  storage::PageQuery q;
  q.limit = limit;
  return q;
}

struct NotifiedWorld : InboundWorld {
  // The hooks the Assembly gives the server's and the CLI's RemotePosts.
  NotifiedWorld()
      : InboundWorld({}, false,
                     {server::services::notify_post_created,
                      server::services::notify_post_updated}) {}

  std::vector<storage::NotificationRecord> notifications() {
    return read([this](storage::Connection& c) {
      return storage::notifications::list(c, local.id, {}, {}, page_of(40));
    });
  }
};

std::string activity(const std::string& type, const std::string& id, const std::string& object) {
  return R"({"@context":"https://www.w3.org/ns/activitystreams","id":")" + id + R"(","type":")" +
         type + R"(","actor":")" + kAnnaUri +
         R"(","to":["https://www.w3.org/ns/activitystreams#Public"],"object":")" + object + R"("})";
}

}  // namespace

TEST_CASE("notifications: a peer's reply to a local post is a mention, stored once") {
  NotifiedWorld w;
  const auto reply = create_of(kAnnaUri, w.reply_to_town());
  w.deliver(w.anna, reply);
  auto got = w.notifications();
  REQUIRE(got.size() == 1);
  CHECK(got[0].type == "mention");
  CHECK(got[0].post_id.has_value());
  // A redelivery stores nothing new.
  REQUIRE(w.process(kAnnaUri, create_of(kAnnaUri, w.reply_to_town(), "again")));
  CHECK(w.notifications().size() == 1);
}

TEST_CASE("notifications: the hooks come through RemotePosts' constructor, not a global") {
  NotifiedWorld notified;  // a world with the hooks alive at the same time changes nothing here
  InboundWorld plain;
  plain.deliver(plain.anna, create_of(kAnnaUri, plain.reply_to_town()));
  auto stored = plain.read([&](storage::Connection& c) {
    return storage::notifications::list(c, plain.local.id, {}, {}, page_of(40));
  });
  CHECK(stored.empty());
  notified.deliver(notified.anna, create_of(kAnnaUri, notified.reply_to_town()));
  CHECK(notified.notifications().size() == 1);
}

TEST_CASE("notifications: Follow, Like and Announce of the local account's post") {
  NotifiedWorld w;
  w.deliver(w.anna, test::follow_json(kAnnaUri + "#follows/1", kAnnaUri, w.local.uri));
  w.deliver(w.anna, activity("Like", kAnnaUri + "#likes/1", w.town_post.ap_id));
  w.deliver(w.anna, activity("Announce", kAnnaUri + "/statuses/9/activity", w.town_post.ap_id));
  auto got = w.notifications();
  REQUIRE(got.size() == 3);
  CHECK(got[0].type == "reblog");  // newest first
  CHECK(got[1].type == "favourite");
  CHECK(got[1].post_id == w.town_post.id);
  CHECK(got[2].type == "follow");
  CHECK_FALSE(got[2].post_id);
  // The same Like again (a new id): still one favourite.
  w.deliver(w.anna, activity("Like", kAnnaUri + "#likes/2", w.town_post.ap_id));
  CHECK(w.notifications().size() == 3);
}

TEST_CASE("notifications: notify never tells an account about itself or a remote account") {
  NotifiedWorld w;
  auto self = w.db->write_sync([&](storage::Connection& c) {
    return server::services::notify(c, w.local.id, server::services::NotificationType::follow,
                                     w.local.id, std::nullopt, w.now);
  });
  REQUIRE(self);
  CHECK_FALSE(*self);
  CHECK(w.notifications().empty());
}
