// Flag (Mastodon's report) received: stored when it names our account or posts, once.
#include "tests/unit/server/inbound/inbound_fixtures.hpp"

#include "federation/as2/flag.hpp"
#include "storage/reports.hpp"

using namespace civicpub;

namespace {

std::vector<storage::ReportRecord> reports(test::InboundWorld& w) {
  return w.read([](storage::Connection& c) { return storage::reports::list(c, true, 10); });
}

}  // namespace

TEST_CASE("flag: a report naming our account and post is stored for the operator") {
  test::InboundWorld w;
  const std::string flag = federation::as2::flag_json(
      "https://remote.example/flags/1", test::kAnnaUri, "spam, please look",
      {w.local.uri, w.town_post.ap_id, "https://other.example/notes/9"});
  REQUIRE(w.process(test::kAnnaUri, flag));
  auto stored = reports(w);
  REQUIRE(stored.size() == 1);
  CHECK(stored[0].direction == storage::ReportDirection::received);
  CHECK(stored[0].activity_uri == "https://remote.example/flags/1");
  CHECK(stored[0].reporter_uri == test::kAnnaUri);
  CHECK(stored[0].account_uri == w.local.uri);
  CHECK(stored[0].object_uris == std::vector<std::string>{w.town_post.ap_id});
  CHECK(stored[0].comment == "spam, please look");
  CHECK(w.queued().empty());  // nothing is forwarded or answered

  // A redelivery stores nothing twice.
  REQUIRE(w.process(test::kAnnaUri, flag));
  CHECK(reports(w).size() == 1);
}

TEST_CASE("flag: naming only a post, the account is the post's author") {
  test::InboundWorld w;
  REQUIRE(w.process(test::kAnnaUri,
                    federation::as2::flag_json("https://remote.example/flags/2", test::kAnnaUri,
                                               "", {w.town_post.ap_id})));
  auto stored = reports(w);
  REQUIRE(stored.size() == 1);
  CHECK(stored[0].account_uri == w.local.uri);
}

TEST_CASE("flag: a report about nobody of ours is not stored") {
  test::InboundWorld w;
  REQUIRE(w.process(test::kAnnaUri,
                    federation::as2::flag_json("https://remote.example/flags/3", test::kAnnaUri,
                                               "x", {test::kBobUri})));
  REQUIRE(w.process(test::kAnnaUri,
                    R"({"id":"https://remote.example/flags/4","type":"Flag","actor":")" +
                        test::kAnnaUri + R"("})"));
  CHECK(reports(w).empty());
}
