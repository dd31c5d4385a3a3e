// The inbox worker cannot be stalled (docs/security.md "Inbox and delivery queues"): a reply whose
// parent sits on a host that accepts and never answers (every fake send held) is stored, and the
// activities queued after it are processed without waiting for that host; the walk up the
// parents runs in the AncestorQueue and finishes when the host answers.
#include "federation/inbox/inbox_worker.hpp"
#include "federation/remote/ancestor_queue.hpp"
#include "server/inbound/dispatcher.hpp"
#include "storage/inbox_items.hpp"
#include "storage/deliveries.hpp"
#include "storage/reactions.hpp"
#include "tests/unit/support/post_fixtures.hpp"
#include "tests/unit/support/run.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

using namespace civicpub;
using namespace civicpub::test;

TEST_CASE("inbox worker - a reply whose parent sits on a tarpit does not hold up the queue") {
  boost::asio::io_context ioc;  // outlives w's database, whose writer posts to it
  PostsWorld w;
  federation::AncestorQueue ancestors(ioc.get_executor(), w.posts, {}, w.log);
  server::inbound::Dispatcher dispatcher(
      {*w.db, *w.resolver, w.posts, w.clock, *w.log, [] {},
       [&ancestors](std::string uri) { ancestors.enqueue(std::move(uri)); }});
  federation::InboxWorker worker(ioc.get_executor(), *w.db, dispatcher, w.clock, {}, w.log);

  const std::string tarpit_parent = "https://tarpit.example/notes/1";
  NoteSpec reply;
  reply.id = kAnnaUri + "/statuses/20";
  reply.in_reply_to = tarpit_parent;
  reply.cc = w.local.uri;
  REQUIRE(w.accept(w.cavage_post(w.anna, create_of(kAnnaUri, reply, "20"))));
  const std::string like = activity_json(kAnnaUri + "/likes/1", "Like", kAnnaUri,
                                         quoted(w.town_post.ap_id));
  REQUIRE(w.accept(w.cavage_post(w.anna, like)));

  // From now on every fetch hangs, as with a host that accepts and never answers.
  w.transport.hold = true;
  worker.notify();
  const auto likes = [&] {
    return w.read([&](storage::Connection& c) {
      return storage::reactions::count(c, w.town_post.id, storage::ReactionKind::like);
    });
  };
  const auto queue_empty = [&] {
    return w.read([](storage::Connection& c) {
             return storage::inbox_items::count_by_state(c, storage::InboxState::pending);
           }) == 0;
  };
  REQUIRE(run_until(ioc, [&] { return queue_empty() && likes() == 1; }));
  CHECK(w.post(reply.id));                       // the reply is stored
  CHECK(w.transport.fetches(tarpit_parent) == 1);  // its parent is being fetched...
  CHECK(ancestors.pending() == 1);                 // ...off the worker's path, still held

  w.transport.release();
  REQUIRE(run_until(ioc, [&] { return ancestors.pending() == 0; }));
}

TEST_CASE("inbox worker - a reply that arrives before its parent is forwarded once the parent is fetched") {
  // anna replied to the town's post (that reply never reached the town); bob's reply to anna's
  // arrives first, so at first nothing says it belongs to the town's thread. Once the ancestor
  // queue has fetched anna's reply, the dispatcher takes the thread step again and forwards
  // bob's Create to the thread's audience (anna's server, a participant now).
  boost::asio::io_context ioc;  // outlives w's database, whose writer posts to it
  PostsWorld w;
  federation::AncestorQueue ancestors(ioc.get_executor(), w.posts, {}, w.log);
  server::inbound::Dispatcher dispatcher(
      {*w.db, *w.resolver, w.posts, w.clock, *w.log, [] {},
       [&ancestors](std::string uri) { ancestors.enqueue(std::move(uri)); }});
  ancestors.on_walked([&ioc, &dispatcher](const std::string& uri) {
    boost::asio::co_spawn(ioc, dispatcher.reconsider(uri), boost::asio::detached);
  });
  federation::InboxWorker worker(ioc.get_executor(), *w.db, dispatcher, w.clock, {}, w.log);

  NoteSpec parent;
  parent.id = kAnnaUri + "/statuses/30";
  parent.in_reply_to = w.town_post.ap_id;
  w.serve_note(parent);
  NoteSpec reply;
  reply.id = kBobUri + "/statuses/31";
  reply.author = kBobUri;
  reply.in_reply_to = parent.id;
  reply.cc = w.local.uri;
  const auto create = create_of(kBobUri, reply, "31");
  REQUIRE(w.accept(w.cavage_post(w.bob, create)));
  worker.notify();

  const auto forwards = [&] {
    std::vector<std::string> inboxes;
    for (const auto& d : w.read([&](storage::Connection& c) {
           return storage::deliveries::due(c, w.now + 1, 50);
         })) {
      if (d.activity_id == kBobUri + "/create/31") inboxes.push_back(d.inbox_url);
    }
    return inboxes;
  };
  REQUIRE(run_until(ioc, [&]() -> bool {
    return ancestors.pending() == 0 && dispatcher.awaiting() == 0 && !forwards().empty();
  }));
  CHECK(w.post(parent.id));  // fetched by the queue
  const auto inboxes = forwards();
  REQUIRE(inboxes.size() == 1);
  CHECK(inboxes.front().rfind("https://remote.example/", 0) == 0);  // anna's server
}

TEST_CASE("ancestor queue - a walk already queued is not queued twice, a full queue drops") {
  boost::asio::io_context ioc;  // outlives w's database, whose writer posts to it
  PostsWorld w;
  federation::AncestorQueue ancestors(ioc.get_executor(), w.posts, {1, 1}, w.log);
  CHECK(ancestors.enqueue(w.town_post.ap_id));
  CHECK_FALSE(ancestors.enqueue(w.town_post.ap_id));         // the same walk
  CHECK_FALSE(ancestors.enqueue(kAnnaUri + "/statuses/2"));  // the one queue place is taken
  CHECK(ancestors.pending() == 1);
  REQUIRE(run_until(ioc, [&] { return ancestors.pending() == 0; }));
  CHECK(ancestors.enqueue(kAnnaUri + "/statuses/2"));  // room again
}
