// The streaming API's hub and its subscribers (issue 13): stream names, framing, the bounded
// queue, heartbeats and the token check, the connection caps, and which streams a stored status
// reaches.
#include "server/services/stream_hub.hpp"

#include "tests/unit/server/services/post_service_fixture.hpp"
#include "tests/unit/support/run.hpp"

#include <boost/asio/io_context.hpp>
#include <spdlog/sinks/null_sink.h>
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

using namespace civicpub;
using server::services::parse_stream_name;
using server::services::StatusChange;
using server::services::StreamHub;
using server::services::StreamLimits;
using server::services::StreamName;
using server::services::StreamOwner;
using server::services::StreamSubscriber;
using server::services::StreamWire;
using Next = StreamSubscriber::Next;

namespace {

std::shared_ptr<spdlog::logger> quiet() {
  return std::make_shared<spdlog::logger>("stream-test",
                                          std::make_shared<spdlog::sinks::null_sink_mt>());
}

std::shared_ptr<StreamSubscriber> subscriber(boost::asio::io_context& ioc, StreamWire wire,
                                             StreamLimits limits = {},
                                             std::function<bool()> check = {}) {
  return std::make_shared<StreamSubscriber>(ioc.get_executor(), 1, 2, wire, limits,
                                            std::move(check));
}

Next take(boost::asio::io_context& ioc, StreamSubscriber& sub) {
  return test::run_on(ioc, sub.next());
}

// The next message, past heartbeats.
Next take_message(boost::asio::io_context& ioc, StreamSubscriber& sub) {
  for (;;) {
    auto next = take(ioc, sub);
    if (next.kind != Next::Kind::heartbeat) return next;
  }
}

}  // namespace

TEST_CASE("stream names are Mastodon's, hashtags lowercase without '#'") {
  CHECK(parse_stream_name("user", "")->kind == StreamName::Kind::user);
  CHECK(parse_stream_name("user:notification", "")->scope() == "read:notifications");
  CHECK(parse_stream_name("public:local", "")->scope() == "read:statuses");
  auto tag = parse_stream_name("hashtag", "#Town");
  REQUIRE(tag);
  CHECK(tag->tag == "town");
  CHECK(tag->parts() == std::vector<std::string>{"hashtag", "town"});
  CHECK_FALSE(parse_stream_name("hashtag", ""));
  CHECK_FALSE(parse_stream_name("hashtag", std::string(101, 'a')));
  CHECK_FALSE(parse_stream_name("hashtag", "two words"));
  CHECK_FALSE(parse_stream_name("direct", ""));
  CHECK_FALSE(parse_stream_name("", ""));
}

TEST_CASE("events are framed as Mastodon frames them, per wire") {
  boost::asio::io_context ioc;
  auto ws = subscriber(ioc, StreamWire::websocket);
  ws->deliver(*parse_stream_name("hashtag", "town"), "update", R"({"id":"7"})");
  auto got = take(ioc, *ws);
  CHECK(got.kind == Next::Kind::message);
  CHECK(got.text == R"({"stream":["hashtag","town"],"event":"update","payload":"{\"id\":\"7\"}"})");
  auto sse = subscriber(ioc, StreamWire::event_stream);
  sse->deliver(*parse_stream_name("user", ""), "delete", "7");
  CHECK(take(ioc, *sse).text == "event: delete\ndata: 7\n\n");
}

TEST_CASE("a consumer that falls behind is disconnected, never buffered without bound") {
  boost::asio::io_context ioc;
  StreamLimits limits;
  limits.max_queued_messages = 3;
  auto sub = subscriber(ioc, StreamWire::event_stream, limits);
  const auto name = *parse_stream_name("public", "");
  for (int i = 0; i < 3; ++i) sub->deliver(name, "update", "x");
  CHECK_FALSE(sub->closed());
  sub->deliver(name, "update", "x");
  CHECK(sub->closed());
  CHECK(take(ioc, *sub).kind == Next::Kind::end);

  limits.max_queued_messages = 100;
  limits.max_queued_bytes = 1000;
  auto big = subscriber(ioc, StreamWire::event_stream, limits);
  big->deliver(name, "update", std::string(600, 'a'));
  CHECK_FALSE(big->closed());
  big->deliver(name, "update", std::string(600, 'a'));
  CHECK(big->closed());
}

TEST_CASE("a waiting stream wakes for an event pushed from another thread") {
  boost::asio::io_context ioc;
  auto sub = subscriber(ioc, StreamWire::event_stream);
  std::thread publisher([&] { sub->deliver(*parse_stream_name("user", ""), "update", "{}"); });
  auto got = take(ioc, *sub);
  publisher.join();
  CHECK(got.kind == Next::Kind::message);
}

TEST_CASE("heartbeats come when nothing was sent, and a revoked token ends the stream") {
  boost::asio::io_context ioc;
  StreamLimits limits;
  limits.heartbeat = std::chrono::milliseconds(20);
  std::atomic<bool> valid = true;
  auto sub = subscriber(ioc, StreamWire::websocket, limits, [&] { return valid.load(); });
  CHECK(take(ioc, *sub).kind == Next::Kind::heartbeat);
  valid = false;
  CHECK(take(ioc, *sub).kind == Next::Kind::end);
  CHECK(sub->closed());
}

TEST_CASE("a WebSocket's subscriptions are capped") {
  boost::asio::io_context ioc;
  StreamLimits limits;
  limits.max_streams = 2;
  auto sub = subscriber(ioc, StreamWire::websocket, limits);
  CHECK(sub->subscribe(*parse_stream_name("user", "")));
  CHECK(sub->subscribe(*parse_stream_name("user", "")));  // the same again: no new slot
  CHECK(sub->subscribe(*parse_stream_name("public", "")));
  CHECK_FALSE(sub->subscribe(*parse_stream_name("hashtag", "a")));
  sub->unsubscribe(*parse_stream_name("public", ""));
  CHECK(sub->subscribe(*parse_stream_name("hashtag", "a")));
}

TEST_CASE_METHOD(testing::PostFixture, "open streams are capped in total and per token") {
  boost::asio::io_context ioc;
  StreamLimits limits;
  limits.max_connections = 3;
  limits.max_per_token = 2;
  const auto info = instance();  // the hub keeps a reference
  StreamHub hub(*db, info, ioc.get_executor(), limits, quiet());
  auto a = hub.open(StreamOwner{1, town.id}, StreamWire::websocket, ioc.get_executor(), {});
  auto b = hub.open(StreamOwner{1, town.id}, StreamWire::websocket, ioc.get_executor(), {});
  REQUIRE(a);
  REQUIRE(b);
  CHECK(hub.open(StreamOwner{1, town.id}, StreamWire::websocket, ioc.get_executor(), {}).error() ==
        server::services::StreamError::too_many_for_token);
  auto c = hub.open(StreamOwner{2, town.id}, StreamWire::websocket, ioc.get_executor(), {});
  REQUIRE(c);
  CHECK(hub.open(StreamOwner{3, town.id}, StreamWire::websocket, ioc.get_executor(), {}).error() ==
        server::services::StreamError::too_many_streams);
  a->reset();  // a closed connection frees its slot
  auto d = hub.open(StreamOwner{3, town.id}, StreamWire::websocket, ioc.get_executor(), {});
  CHECK(d);
  CHECK(hub.open_count() == 3);
  hub.close_token(1);
  CHECK((*b)->closed());
}

TEST_CASE_METHOD(testing::PostFixture,
                 "a stored status reaches the streams that show it, edits and deletes follow") {
  boost::asio::io_context ioc;
  StreamLimits limits;
  limits.heartbeat = std::chrono::milliseconds(50);
  const auto info = instance();  // the hub keeps a reference
  StreamHub hub(*db, info, ioc.get_executor(), limits, quiet());
  auto& streaming_service = service;
  auto changed = hub.sink();  // what the status routes call after each write
  auto open = [&](std::string_view name, std::string_view tag, std::int64_t account) {
    auto sub = hub.open(StreamOwner{account, account}, StreamWire::event_stream,
                        ioc.get_executor(), {})
                   .value();
    sub->subscribe(*parse_stream_name(name, tag));
    return sub;
  };
  auto own = open("user", "", town.id);
  auto local = open("public:local", "", 999);
  auto remote = open("public:remote", "", 999);
  auto tagged = open("hashtag", "Town", 999);
  auto other_tag = open("hashtag", "elsewhere", 999);

  auto quiet_post = test::run(streaming_service.publish(server::services::PublishRequest{
      "town", "for followers", storage::Visibility::followers, "", std::nullopt, std::nullopt}));
  REQUIRE(quiet_post);
  changed(StatusChange::created, quiet_post->post.ap_id);
  auto post = test::run(streaming_service.publish(server::services::PublishRequest{
      "town", "hello #town", storage::Visibility::public_, "", std::nullopt, std::nullopt}));
  REQUIRE(post);
  changed(StatusChange::created, post->post.ap_id);
  const auto id = std::to_string(post->post.id);

  // The followers-only post comes first on the account's own stream; public streams skip it.
  auto first_own = take_message(ioc, *own);
  CHECK(first_own.text.find("for followers") != std::string::npos);
  CHECK(first_own.text.starts_with("event: update\ndata: {"));
  auto second_own = take_message(ioc, *own);
  CHECK(second_own.text.find("\"id\":\"" + id + "\"") != std::string::npos);
  CHECK(take_message(ioc, *local).text.find("\"id\":\"" + id + "\"") != std::string::npos);
  CHECK(take_message(ioc, *tagged).text.find("hello") != std::string::npos);

  auto edited = test::run(streaming_service.edit(
      server::services::EditRequest{post->post.ap_id, "hello again #town", std::nullopt, {}}));
  REQUIRE(edited);
  changed(StatusChange::edited, post->post.ap_id);
  auto edit_event = take_message(ioc, *local);
  CHECK(edit_event.text.starts_with("event: status.update\n"));
  CHECK(edit_event.text.find("hello again") != std::string::npos);
  auto removed = test::run(streaming_service.remove(post->post.ap_id));
  REQUIRE(removed);
  changed(StatusChange::deleted, post->post.ap_id);
  CHECK(take_message(ioc, *local).text == "event: delete\ndata: " + id + "\n\n");

  hub.publish_notification(town.id, R"({"id":"1","type":"mention"})");
  CHECK(take_message(ioc, *own).text.starts_with("event: status.update"));
  CHECK(take_message(ioc, *own).text == "event: delete\ndata: " + id + "\n\n");
  auto note = take_message(ioc, *own);
  CHECK(note.text == "event: notification\ndata: {\"id\":\"1\",\"type\":\"mention\"}\n\n");

  // Every change has been fanned out by now (in order): the remote stream and the other
  // hashtag's got nothing, so they give a heartbeat.
  CHECK(take(ioc, *remote).kind == Next::Kind::heartbeat);
  CHECK(take(ioc, *other_tag).kind == Next::Kind::heartbeat);
  CHECK(hub.open_count() == 5);
}
