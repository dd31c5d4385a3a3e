// The streaming side of inbound posts (server/inbound/status_events.hpp): a Create that stored a
// post is told to the sink while a stream is open, and not looked at at all while none is.
#include "tests/unit/server/inbound/inbound_fixtures.hpp"

#include "server/inbound/status_events.hpp"

#include <utility>
#include <vector>

using namespace civicpub;
using test::create_of;
using test::InboundWorld;
using test::kAnnaUri;
using test::NoteSpec;

namespace {

struct Told {
  std::vector<std::pair<server::services::StatusChange, std::string>> changes;
};

// The inbox worker over a StatusEventDispatcher around the world's application dispatcher.
struct StreamedWorld : InboundWorld {
  Told told;
  bool open_stream = false;
  server::inbound::StatusEventDispatcher events{
      worker.dispatcher, *db,
      [this](server::services::StatusChange change, const std::string& uri) {
        told.changes.emplace_back(change, uri);
      },
      [this] { return open_stream; }};
  federation::InboxWorker streamed{worker_ioc.get_executor(), *db, events, clock, {}, log};

  void deliver_streamed(const std::string& body) {
    REQUIRE(accept(cavage_post(anna, body)));
    run([this] { return streamed.process_pending(); });
  }
  NoteSpec reply(const std::string& id) const {
    NoteSpec note = reply_to_town();
    note.id = id;
    return note;
  }
};

}  // namespace

TEST_CASE("status events: a stored Create is told only while a stream is open") {
  StreamedWorld w;
  const std::string quiet = kAnnaUri + "/statuses/quiet";
  const std::string heard = kAnnaUri + "/statuses/heard";

  w.deliver_streamed(create_of(kAnnaUri, w.reply(quiet), "1"));
  CHECK(w.post(quiet));  // stored all the same
  CHECK(w.told.changes.empty());

  w.open_stream = true;
  w.deliver_streamed(create_of(kAnnaUri, w.reply(heard), "2"));
  CHECK(w.post(heard));
  REQUIRE(w.told.changes.size() == 1);
  CHECK(w.told.changes[0].first == server::services::StatusChange::created);
  CHECK(w.told.changes[0].second == heard);
}

TEST_CASE("status events: without a listening check every change is told") {
  InboundWorld w;
  Told told;
  server::inbound::StatusEventDispatcher events{
      w.worker.dispatcher, *w.db,
      [&](server::services::StatusChange change, const std::string& uri) {
        told.changes.emplace_back(change, uri);
      }};
  federation::InboxWorker worker{w.worker_ioc.get_executor(), *w.db, events, w.clock, {}, w.log};
  NoteSpec note = w.reply_to_town();
  REQUIRE(w.accept(w.cavage_post(w.anna, create_of(kAnnaUri, note))));
  w.run([&] { return worker.process_pending(); });
  REQUIRE(told.changes.size() == 1);
  CHECK(told.changes[0].first == server::services::StatusChange::created);
  CHECK(told.changes[0].second == note.id);
}
