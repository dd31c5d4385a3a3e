// The inbound pipeline as the App wires it: the application's Dispatcher registered with a
// federation::InboxWorker, over a test World (tests/unit/support/inbox_fixtures.hpp).
#pragma once

#include "federation/inbox/inbox_worker.hpp"
#include "server/inbound/dispatcher.hpp"
#include "storage/deliveries.hpp"
#include "storage/inbox_items.hpp"
#include "tests/unit/support/post_fixtures.hpp"
#include "tests/unit/support/proof_fixtures.hpp"

#include <functional>
#include <string>
#include <vector>

namespace civicpub::test {

// `body` with an integrity proof by `private_key`, created now (test::kNow).
inline std::string with_proof(const std::string& body, const std::string& private_key,
                              const std::string& key_id) {
  return with_proof(body, private_key, key_id, kNow);
}

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

// PostsWorld with the inbox worker: activities go through Inbox::accept and the queue. The
// delivery worker's wake-ups are counted in `enqueued_calls`.
struct InboundWorld : PostsWorld {
  asio::io_context worker_ioc;
  InboundPipeline worker;

  explicit InboundWorld(federation::RemotePostsSettings settings = {}, bool manual = false,
                        federation::PostHooks hooks = {})
      : PostsWorld(settings, manual, std::move(hooks)),
        worker(worker_ioc.get_executor(), *this, posts, [this] { ++enqueued_calls; }) {}
  // The database's writer thread posts each write's completion to worker_ioc: close it (run the
  // queued jobs, join the writer) while worker_ioc still exists, which the base class's db
  // would otherwise outlive.
  ~InboundWorld() { db->close(); }
  InboundWorld(const InboundWorld&) = delete;
  InboundWorld& operator=(const InboundWorld&) = delete;

  // Receives a signed activity through the inbox and processes the queue.
  void deliver(const RemoteActor& signer, const std::string& body) {
    auto accepted = accept(cavage_post(signer, body));
    REQUIRE(accepted);
    run([this] { return worker.process_pending(); });
  }
  // Accepts `body` as delivered (HTTP-signed) by `signer`, who need not be its actor, then
  // processes the queue when it was accepted.
  Result<federation::InboxAccepted> forward(const RemoteActor& signer, const std::string& body) {
    auto accepted = accept(cavage_post(signer, body));
    if (accepted) run([this] { return worker.process_pending(); });
    return accepted;
  }
  // A reply by anna (<anna>/statuses/1) to the town's post: it concerns us, so a Create of it
  // is stored.
  NoteSpec reply_to_town(const std::string& content = "<p>hello</p>") const {
    NoteSpec note;
    note.id = kAnnaUri + "/statuses/1";
    note.in_reply_to = town_post.ap_id;
    note.cc = local.uri;
    note.content = content;
    return note;
  }
  std::vector<storage::InboxItemRecord> pending_items() {
    return read([](storage::Connection& c) { return storage::inbox_items::next_pending(c, 20); });
  }
  std::vector<storage::DeliveryRecord> queued() {
    return read([&](storage::Connection& c) { return storage::deliveries::due(c, now, 50); });
  }
  // Processes an activity directly (no inbox), as if `key_id` had signed the request carrying
  // it, returning the handler's result.
  Result<void> process(const std::string& actor, const std::string& body,
                       const std::string& key_id = {}) {
    storage::InboxItemRecord item;
    item.activity_id = "x";
    item.actor_uri = actor;
    item.key_id = key_id;
    item.body = body;
    return run([&] { return worker.process(item); });
  }
};

}  // namespace civicpub::test
