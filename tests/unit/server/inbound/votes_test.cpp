// Votes from anywhere (issue 14): a vote-shaped Create(Note) answering a local consultation is
// counted and goes no further (not stored as a post, not forwarded); a double vote is counted
// once; a late vote, a vote forged by another server and a vote in someone else's name are
// refused; a reply with text is a reply. Fixtures: Mastodon, Misskey and snac votes.
#include "tests/unit/server/inbound/inbound_fixtures.hpp"

#include "storage/inbox_items.hpp"
#include "storage/polls.hpp"
#include "storage/posts.hpp"
#include "tests/unit/support/fixture_files.hpp"

using namespace civicpub;

namespace {

const std::string kQuestion = "https://town.example/users/gemeente/statuses/q1";
constexpr storage::Millis kHour = 3600 * 1000;

struct VoteWorld : test::InboundWorld {
  std::int64_t poll_id = 0;

  explicit VoteWorld(bool multiple = false, std::vector<std::string> eligible = {}) {
    storage::PostRecord q;
    q.ap_id = kQuestion;
    q.author_id = local.id;
    q.local = true;
    q.thread_root = q.ap_id;
    q.context = q.ap_id + "/context";
    q.object_type = "Question";
    q.name = "Where should the new bench go?";
    q.content_html = "<p>The council decides in March.</p>";
    q.published = now - 60000;
    auto id = db->write_sync([&](storage::Connection& c) -> Result<std::int64_t> {
      auto post = storage::posts::insert(c, q);
      if (!post) return post;
      storage::PollRecord poll;
      poll.post_id = *post;
      poll.multiple = multiple;
      poll.closes_at = now + kHour;
      auto stored = storage::polls::insert(c, poll, {"By the pond", "Near the library"}, eligible);
      if (!stored) return stored.error();
      return post;
    });
    REQUIRE(id);
    poll_id = *id;
  }

  std::vector<storage::OptionCount> counts() {
    return read([&](storage::Connection& c) { return storage::polls::counts(c, poll_id); });
  }
  std::int64_t total(std::size_t option) { return counts().at(option).total(); }
  std::int64_t failed() {
    return read([](storage::Connection& c) {
      return storage::inbox_items::count_by_state(c, storage::InboxState::failed);
    });
  }
  std::int64_t replies_stored() {
    return read([](storage::Connection& c) -> Result<std::int64_t> {
      auto all = storage::posts::find_by_ap_id(c, kQuestion);
      if (!all) return all.error();
      std::int64_t n = 0;
      for (const auto* id : {"https://remote.example/users/anna#votes/42",
                             "https://remote.example/users/anna#votes/9xk2a1b3c4",
                             "https://remote.example/users/anna/p/1732280000.123456"}) {
        auto p = storage::posts::find_by_ap_id(c, id);
        if (!p) return p.error();
        if (*p) ++n;
      }
      return n;
    });
  }
};

// Mastodon's vote (polls/mastodon_vote.json) for `option`, with its own ids.
std::string mastodon_vote(const std::string& actor, const std::string& option,
                          const std::string& n = "42") {
  const std::string id = actor + "#votes/" + n;
  return R"({"@context":"https://www.w3.org/ns/activitystreams","id":")" + id +
         R"(/activity","type":"Create","actor":")" + actor +
         R"(","to":"https://town.example/users/gemeente","object":{"id":")" + id +
         R"(","type":"Note","name":")" + option + R"(","attributedTo":")" + actor +
         R"(","inReplyTo":")" + kQuestion + R"(","to":"https://town.example/users/gemeente"}})";
}

}  // namespace

TEST_CASE("votes: Mastodon, Misskey and snac votes are counted, never stored as replies") {
  VoteWorld world(true);
  world.deliver(world.anna, test::read_fixture("polls/mastodon_vote.json"));
  world.deliver(world.anna, test::read_fixture("polls/misskey_vote.json"));
  CHECK(world.total(0) == 1);
  CHECK(world.total(1) == 1);
  // snac's "<br>" vote for an option anna already chose: the same vote, counted once.
  world.deliver(world.anna, test::read_fixture("polls/snac_vote.json"));
  CHECK(world.total(0) == 1);
  CHECK(world.failed() == 0);
  CHECK(world.replies_stored() == 0);
  // Nothing forwarded to the thread's audience: who voted is nobody else's business.
  CHECK(world.queued().empty());
  auto poll =
      world.read([&](storage::Connection& c) { return storage::polls::find(c, world.poll_id); });
  REQUIRE(poll);
  CHECK(poll->update_pending);
}

TEST_CASE("votes: a changed single-choice vote replaces the first, a double vote counts once") {
  VoteWorld world;
  world.deliver(world.anna, mastodon_vote(test::kAnnaUri, "By the pond", "1"));
  world.deliver(world.anna, mastodon_vote(test::kAnnaUri, "By the pond", "2"));
  CHECK(world.total(0) == 1);
  world.deliver(world.anna, mastodon_vote(test::kAnnaUri, "Near the library", "3"));
  CHECK(world.total(0) == 0);
  CHECK(world.total(1) == 1);
  world.deliver(world.bob, mastodon_vote(test::kBobUri, "Near the library"));
  CHECK(world.total(1) == 2);
}

TEST_CASE("votes: a late vote is refused") {
  VoteWorld world;
  world.now += kHour + 1000;
  world.deliver(world.anna, mastodon_vote(test::kAnnaUri, "By the pond"));
  CHECK(world.total(0) == 0);
  CHECK(world.failed() == 1);
  CHECK(world.log_text.str().find("vote after the consultation closed") != std::string::npos);
}

TEST_CASE("votes: a vote forged by another server or in someone else's name is refused") {
  VoteWorld world;
  // bob's server delivers a vote in anna's name: no signature of anna, no proof.
  auto forwarded = world.forward(world.bob, mastodon_vote(test::kAnnaUri, "By the pond"));
  REQUIRE(forwarded);
  CHECK(world.total(0) == 0);
  // bob signs a Create by bob whose vote says anna made it.
  std::string body = mastodon_vote(test::kBobUri, "By the pond", "7");
  const std::string author = R"("attributedTo":")" + test::kBobUri + "\"";
  body.replace(body.find(author), author.size(), R"("attributedTo":")" + test::kAnnaUri + "\"");
  world.deliver(world.bob, body);
  CHECK(world.total(0) == 0);
  CHECK(world.failed() == 2);
  CHECK(world.log_text.str().find("not made by") != std::string::npos);
}

TEST_CASE("votes: an unknown option is refused, a reply with text is a reply") {
  VoteWorld world;
  world.deliver(world.anna, mastodon_vote(test::kAnnaUri, "On the roof"));
  CHECK(world.total(0) + world.total(1) == 0);
  CHECK(world.failed() == 1);

  test::NoteSpec reply;
  reply.id = test::kAnnaUri + "/statuses/9";
  reply.in_reply_to = kQuestion;
  reply.cc = world.local.uri;
  reply.content = "<p>By the pond, please: it is shady.</p>";
  world.deliver(world.anna, test::create_of(test::kAnnaUri, reply));
  CHECK(world.post(reply.id));
  CHECK(world.total(0) == 0);
}

TEST_CASE("votes: voters outside the eligible domains are counted apart") {
  VoteWorld world(false, {"remote.example"});
  world.deliver(world.anna, mastodon_vote(test::kAnnaUri, "By the pond"));
  world.deliver(world.bob, mastodon_vote(test::kBobUri, "By the pond"));
  const auto c = world.counts();
  CHECK(c[0].residents == 1);
  CHECK(c[0].others == 1);
}
