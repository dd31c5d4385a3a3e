// The inbound pipeline as the App wires it: the application's Dispatcher registered with a
// federation::InboxWorker, over a test World (tests/unit/support/inbox_fixtures.hpp).
#pragma once

#include "federation/inbox/inbox_worker.hpp"
#include "server/inbound/dispatcher.hpp"
#include "tests/unit/support/post_fixtures.hpp"

#include <functional>

namespace civicpub::test {

struct InboundPipeline {
  server::inbound::Dispatcher dispatcher;
  federation::InboxWorker worker;

  // `on_enqueued` stands for the delivery worker's notify.
  InboundPipeline(boost::asio::any_io_executor executor, World& world,
                  federation::RemotePosts& posts, std::function<void()> on_enqueued = [] {})
      : dispatcher({*world.db, *world.resolver, posts, world.clock, *world.log,
                    std::move(on_enqueued)}),
        worker(executor, *world.db, dispatcher, world.clock, {}, world.log) {}

  void notify() { worker.notify(); }
  boost::asio::awaitable<std::size_t> process_pending() { return worker.process_pending(); }
  boost::asio::awaitable<Result<void>> process(const storage::InboxItemRecord& item) {
    return worker.process(item);
  }
};

// PostsWorld with the inbox worker: activities go through Inbox::accept and the queue.
struct InboundWorld : PostsWorld {
  asio::io_context worker_ioc;
  InboundPipeline worker;

  explicit InboundWorld(federation::RemotePostsSettings settings = {})
      : PostsWorld(settings), worker(worker_ioc.get_executor(), *this, posts) {}

  // Receives a signed activity through the inbox and processes the queue.
  void deliver(const RemoteActor& signer, const std::string& body) {
    auto accepted = accept(cavage_post(signer, body));
    REQUIRE(accepted);
    run([this] { return worker.process_pending(); });
  }
  // Processes an activity directly (no inbox), returning the handler's result.
  Result<void> process(const std::string& actor, const std::string& body) {
    storage::InboxItemRecord item;
    item.activity_id = "x";
    item.actor_uri = actor;
    item.body = body;
    return run([&] { return worker.process(item); });
  }
};

}  // namespace civicpub::test
