// Consultations (issue 14): created through PostService as a Question; votes counted once per
// voter (per option for anyOf), changed single-choice votes replaced, late votes refused, voters
// outside the eligible domains counted apart; Update(Question) to the audience and every voter,
// rate-limited; closed at the deadline by the schedule's round; the official answer; the export
// has counts and no voters.
#include "tests/unit/server/services/post_service_fixture.hpp"

#include "server/services/consultation_error.hpp"
#include "server/services/consultation_schedule.hpp"
#include "server/services/consultation_service.hpp"
#include "server/services/consultation_votes.hpp"
#include "server/views/consultation_views.hpp"
#include "server/views/note_view.hpp"
#include "server/views/post_urls.hpp"
#include "storage/polls.hpp"
#include "storage/post_provenance.hpp"
#include "storage/posts.hpp"

using namespace civicpub;
using civicpub::testing::PostFixture;
using server::services::ConsultationError;
using server::services::IncomingVote;
using server::services::NewConsultation;

namespace {

constexpr storage::Millis kHour = 3600 * 1000;

struct ConsultationFixture : PostFixture {
  server::services::ConsultationService consultations{*db, service, [this] { return now; }};

  NewConsultation bench(bool multiple = false, std::vector<std::string> eligible = {}) {
    return NewConsultation{"town",
                           "Where should the new bench go?",
                           "The council will decide in March.",
                           {"By the pond", "Near the library", "Nowhere"},
                           multiple,
                           now + kHour,
                           std::move(eligible),
                           std::nullopt};
  }

  storage::PostRecord create(NewConsultation request) {
    auto outcome = test::run(consultations.create(std::move(request)));
    REQUIRE(outcome);
    return outcome->post;
  }

  // A remote actor stored as the actor resolver would: https://<host>/users/<name>, its own
  // inbox, the shared inbox https://<host>/inbox.
  std::int64_t add_voter(const std::string& host, const std::string& name) {
    return db
        ->write_sync([&](storage::Connection& c) {
          auto actor = test::remote_actor(host, name);
          actor.inbox = actor.uri + "/inbox";
          actor.shared_inbox = "https://" + host + "/inbox";
          actor.created_at = actor.updated_at = actor.fetched_at = now;
          return storage::actors::upsert_remote(c, actor);
        })
        .value();
  }

  Result<server::services::VoteOutcome> vote(std::int64_t poll, std::int64_t voter,
                                             const std::string& host, const std::string& option) {
    IncomingVote v;
    v.poll_id = poll;
    v.voter_id = voter;
    v.voter_hosts = {host};
    v.option = option;
    v.activity_uri = "https://" + host + "/votes/" + std::to_string(voter) + option;
    return db->write_sync(
        [&](storage::Connection& c) { return server::services::record_vote(c, v, now); });
  }

  std::vector<storage::OptionCount> counts(std::int64_t poll) {
    return db->read([&](storage::Connection& c) { return storage::polls::counts(c, poll); })
        .value();
  }
  storage::PollRecord poll(std::int64_t id) {
    auto found =
        db->read([&](storage::Connection& c) { return storage::polls::find(c, id); }).value();
    REQUIRE(found);
    return *found;
  }
  std::vector<std::string> activities_of_type(const std::string& type) {
    std::vector<std::string> out;
    std::set<std::string> seen;
    for (const auto& r : deliveries()) {
      auto doc = federation::as2::parse_json(r.body).value();
      if (std::string(doc["type"].GetString()) == type && seen.insert(r.activity_id).second) {
        out.push_back(r.activity_id);
      }
    }
    return out;
  }
};

}  // namespace

TEST_CASE_METHOD(ConsultationFixture, "consultation: created as a Question thread root") {
  add_three_followers();
  const auto post = create(bench());
  CHECK(post.object_type == "Question");
  CHECK(post.name == "Where should the new bench go?");
  CHECK(post.thread_root == post.ap_id);
  CHECK(post.context == server::views::context_url(post.ap_id));
  const auto stored = poll(post.id);
  CHECK(stored.state == "open");
  CHECK(stored.closes_at == now + kHour);
  CHECK_FALSE(stored.multiple);

  auto create_doc = sent(server::views::create_activity_id(post.ap_id));
  const auto& q = create_doc["object"];
  CHECK(std::string(q["type"].GetString()) == "Question");
  CHECK(std::string(q["name"].GetString()) == "Where should the new bench go?");
  CHECK(std::string(q["content"].GetString()).find("The council will decide") != std::string::npos);
  REQUIRE(q["oneOf"].Size() == 3);
  CHECK(std::string(q["oneOf"][2]["name"].GetString()) == "Nowhere");
  CHECK(q["oneOf"][0]["replies"]["totalItems"].GetInt64() == 0);
  CHECK(q["votersCount"].GetInt64() == 0);
  CHECK(inboxes(server::views::create_activity_id(post.ap_id)) ==
        std::set<std::string>{"https://a.example/inbox", "https://b.example/inbox"});
  // The stored Question (what GET serves) is the one delivered.
  auto details = db->read([&](storage::Connection& c) {
                     return server::views::note_details(c, post.id);
                   }).value();
  REQUIRE(details.poll);
  CHECK(details.poll->options.size() == 3);

  const auto multiple = create(bench(true));
  CHECK(poll(multiple.id).multiple);
  auto multi_doc = sent(server::views::create_activity_id(multiple.ap_id));
  CHECK(multi_doc["object"].HasMember("anyOf"));
}

TEST_CASE_METHOD(ConsultationFixture, "consultation: invalid requests are refused") {
  auto request = bench();
  request.title = "  ";
  CHECK(test::run(consultations.create(request)).error() == ConsultationError::empty_title);
  request = bench();
  request.options = {"Only one"};
  CHECK(test::run(consultations.create(request)).error() == ConsultationError::too_few_options);
  request = bench();
  request.options = {"Same", " Same "};
  CHECK(test::run(consultations.create(request)).error() == ConsultationError::bad_option);
  request = bench();
  request.options = {"A", ""};
  CHECK(test::run(consultations.create(request)).error() == ConsultationError::bad_option);
  request = bench();
  request.options.assign(server::services::kMaxConsultationOptions + 1, "x");
  CHECK(test::run(consultations.create(request)).error() == ConsultationError::too_many_options);
  request = bench();
  request.closes_at = now;
  CHECK(test::run(consultations.create(request)).error() == ConsultationError::closes_in_past);
  request = bench(false, {"town example"});
  CHECK(test::run(consultations.create(request)).error() == ConsultationError::bad_domain);
  CHECK(deliveries().empty());
  CHECK(db->read([](storage::Connection& c) { return storage::polls::all(c); }).value().empty());
}

TEST_CASE_METHOD(ConsultationFixture, "consultation: one vote per voter, a changed vote replaces") {
  const auto post = create(bench());
  const auto anna = add_voter("a.example", "anna");
  const auto bob = add_voter("b.example", "bob");
  REQUIRE(vote(post.id, anna, "a.example", "By the pond")->counted);
  // The same vote again (a redelivery, or a second click) is not counted twice.
  CHECK_FALSE(vote(post.id, anna, "a.example", "By the pond")->counted);
  REQUIRE(vote(post.id, bob, "b.example", "Near the library")->counted);
  auto c = counts(post.id);
  CHECK(c[0].total() == 1);
  CHECK(c[1].total() == 1);
  // anna changes her mind: her vote moves, it is not added.
  auto changed = vote(post.id, anna, "a.example", "Nowhere");
  REQUIRE(changed);
  CHECK(changed->replaced);
  c = counts(post.id);
  CHECK(c[0].total() == 0);
  CHECK(c[1].total() == 1);
  CHECK(c[2].total() == 1);
  auto voters =
      db->read([&](storage::Connection& c2) { return storage::polls::voters(c2, post.id); });
  CHECK(voters->total() == 2);
  CHECK(vote(post.id, anna, "a.example", "Somewhere else").error() ==
        ConsultationError::vote_unknown_option);
  CHECK(vote(post.id, town.id, "town.example", "Nowhere").error() ==
        ConsultationError::vote_by_author);
  CHECK(poll(post.id).update_pending);
}

TEST_CASE_METHOD(ConsultationFixture, "consultation: anyOf counts one vote per option") {
  const auto post = create(bench(true));
  const auto anna = add_voter("a.example", "anna");
  REQUIRE(vote(post.id, anna, "a.example", "By the pond")->counted);
  REQUIRE(vote(post.id, anna, "a.example", "Near the library")->counted);
  CHECK_FALSE(vote(post.id, anna, "a.example", "Near the library")->counted);
  const auto c = counts(post.id);
  CHECK(c[0].total() == 1);
  CHECK(c[1].total() == 1);
  CHECK(c[2].total() == 0);
  auto voters =
      db->read([&](storage::Connection& c2) { return storage::polls::voters(c2, post.id); });
  CHECK(voters->total() == 1);
}

TEST_CASE_METHOD(ConsultationFixture, "consultation: late votes are refused") {
  const auto post = create(bench());
  const auto anna = add_voter("a.example", "anna");
  now += kHour;  // the deadline itself is too late
  CHECK(vote(post.id, anna, "a.example", "By the pond").error() == ConsultationError::vote_closed);
  CHECK(counts(post.id)[0].total() == 0);
}

TEST_CASE_METHOD(ConsultationFixture,
                 "consultation: voters outside the eligible domains count apart") {
  CHECK(server::services::is_eligible({"social.town.example"}, {"town.example"}));
  CHECK(server::services::is_eligible({"town.example:8443"}, {"town.example"}));
  CHECK_FALSE(server::services::is_eligible({"eviltown.example"}, {"town.example"}));
  CHECK(server::services::is_eligible({"anywhere.example"}, {}));

  const auto post = create(bench(false, {"A.Example"}));
  const auto anna = add_voter("a.example", "anna");
  const auto olga = add_voter("social.a.example", "olga");
  const auto bob = add_voter("b.example", "bob");
  REQUIRE(vote(post.id, anna, "a.example", "By the pond"));
  REQUIRE(vote(post.id, olga, "social.a.example", "By the pond"));
  REQUIRE(vote(post.id, bob, "b.example", "By the pond"));
  const auto c = counts(post.id);
  CHECK(c[0].residents == 2);
  CHECK(c[0].others == 1);
  auto voters =
      db->read([&](storage::Connection& c2) { return storage::polls::voters(c2, post.id); });
  CHECK(voters->residents == 2);
  CHECK(voters->others == 1);
}

TEST_CASE_METHOD(ConsultationFixture,
                 "consultation: Update(Question) to followers and voters, rate-limited") {
  add_three_followers();
  const auto post = create(bench());
  const auto carl = add_voter("c.example", "carl");
  server::services::ConsultationScheduleSettings settings;
  settings.update_interval = std::chrono::seconds(30);

  // Nothing owed yet: a round sends nothing.
  CHECK(server::services::run_consultation_round(*db, now, settings)->updated == 0);
  REQUIRE(vote(post.id, carl, "c.example", "Nowhere"));
  auto round = server::services::run_consultation_round(*db, now, settings);
  REQUIRE(round);
  CHECK(round->updated == 1);
  auto updates = activities_of_type("Update");
  REQUIRE(updates.size() == 1);
  CHECK(inboxes(updates[0]) == std::set<std::string>{"https://a.example/inbox",
                                                     "https://b.example/inbox",
                                                     "https://c.example/inbox"});
  auto doc = sent(updates[0]);
  CHECK(std::string(doc["object"]["type"].GetString()) == "Question");
  CHECK(doc["object"]["oneOf"][2]["replies"]["totalItems"].GetInt64() == 1);
  CHECK(doc["object"]["votersCount"].GetInt64() == 1);

  // A second vote 10 s later waits for the interval to pass.
  const auto dora = add_voter("d.example", "dora");
  now += 10'000;
  REQUIRE(vote(post.id, dora, "d.example", "By the pond"));
  CHECK(server::services::run_consultation_round(*db, now, settings)->updated == 0);
  now += 20'000;
  CHECK(server::services::run_consultation_round(*db, now, settings)->updated == 1);
  CHECK(activities_of_type("Update").size() == 2);
  CHECK(server::services::run_consultation_round(*db, now + 60'000, settings)->updated == 0);
}

TEST_CASE_METHOD(ConsultationFixture,
                 "consultation: closed at the deadline with a final Update to every voter") {
  const auto post = create(bench());
  const auto carl = add_voter("c.example", "carl");
  REQUIRE(vote(post.id, carl, "c.example", "Nowhere"));
  server::services::ConsultationScheduleSettings settings;
  // A server that was down at the deadline closes it at its start-up round, dated the deadline.
  now += 5 * kHour;
  auto round = server::services::run_consultation_round(*db, now, settings);
  REQUIRE(round);
  CHECK(round->closed == 1);
  const auto closed = poll(post.id);
  CHECK(closed.state == "closed");
  REQUIRE(closed.closed_at);
  CHECK(*closed.closed_at == post.published + kHour);
  auto updates = activities_of_type("Update");
  REQUIRE(updates.size() == 1);
  CHECK(inboxes(updates[0]) == std::set<std::string>{"https://c.example/inbox"});
  auto doc = sent(updates[0]);
  REQUIRE(doc["object"].HasMember("closed"));
  CHECK(doc["object"]["oneOf"][2]["replies"]["totalItems"].GetInt64() == 1);
  // Closed once only.
  CHECK(server::services::run_consultation_round(*db, now, settings)->closed == 0);
  CHECK(vote(post.id, carl, "c.example", "By the pond").error() == ConsultationError::vote_closed);
}

TEST_CASE_METHOD(ConsultationFixture,
                 "consultation: the official answer is a reply, by the author only") {
  add_three_followers();
  const auto post = create(bench());
  const auto carl = add_voter("c.example", "carl");
  REQUIRE(vote(post.id, carl, "c.example", "Nowhere"));
  auto other = server::services::create_local_account(
      *db, {"https://town.example", "town.example"},
      {"clerk", server::services::AccountType::person, "Clerk", "", now});
  REQUIRE(other);
  CHECK(test::run(consultations.answer(post.ap_id, "clerk", "No")).error() ==
        ConsultationError::not_author);
  CHECK(test::run(consultations.answer("https://town.example/nothing", "town", "No")).error() ==
        ConsultationError::not_a_consultation);

  // dora replied (no follower, no voter); a voter on a follower's server adds no inbox.
  const auto dora = add_voter("d.example", "dora");
  const auto ann = add_voter("a.example", "ann");
  REQUIRE(vote(post.id, ann, "a.example", "Nowhere"));
  REQUIRE(db->write_sync([&](storage::Connection& c) {
    auto reply = civicpub::testing::remote_note("https://d.example/users/dora/statuses/1",
                                                post.ap_id);
    reply.author_id = dora;
    return storage::posts::insert(c, reply);
  }));

  auto answered = test::run(consultations.answer(post.ap_id, "town", "The bench goes nowhere."));
  REQUIRE(answered);
  CHECK(answered->answer.post.in_reply_to == post.ap_id);
  CHECK(answered->answer.post.thread_root == post.ap_id);
  // The followers' shared inboxes, and every participant's server once, shared inbox first.
  CHECK(inboxes(answered->answer.activity_id) ==
        std::set<std::string>{"https://a.example/inbox", "https://b.example/inbox",
                              "https://c.example/inbox", "https://d.example/inbox"});
  // The answer addresses none of them: who voted stays unpublished.
  const auto body = sent(answered->answer.activity_id);
  for (const char* member : {"to", "cc"}) {
    for (const auto& id : body["object"][member].GetArray()) {
      CHECK(std::string(id.GetString()).find("c.example") == std::string::npos);
      CHECK(std::string(id.GetString()).find("d.example") == std::string::npos);
    }
  }
  CHECK(answered->closing_deliveries == 3);  // closed early: final counts to followers and voters
  const auto state = poll(post.id);
  CHECK(state.state == "answered");
  CHECK(state.answer_uri == answered->answer.post.ap_id);
  CHECK(test::run(consultations.answer(post.ap_id, "town", "Again")).error() ==
        ConsultationError::already_answered);
}

TEST_CASE_METHOD(ConsultationFixture, "consultation: list and export show counts, never voters") {
  const auto post = create(bench(false, {"a.example"}));
  const auto anna = add_voter("a.example", "anna");
  const auto bob = add_voter("b.example", "bob");
  REQUIRE(vote(post.id, anna, "a.example", "By the pond"));
  REQUIRE(vote(post.id, bob, "b.example", "Nowhere"));
  auto found = db->read([&](storage::Connection& c) {
                   return server::views::find_consultation(c, post.ap_id);
                 }).value();
  REQUIRE(found);
  CHECK(found->participating_domains == std::vector<std::string>{"a.example", "b.example"});
  const auto csv = server::views::export_csv(*found);
  CHECK(csv ==
        "option,residents,others,total\r\nBy the pond,1,0,1\r\nNear the library,0,0,0\r\n"
        "Nowhere,0,1,1\r\n\r\nreply,author,server,published,activity,verified_by\r\n");
  const auto json = server::views::export_json(*found);
  CHECK(json.find("users/anna") == std::string::npos);
  CHECK(csv.find("users/anna") == std::string::npos);
  auto doc = federation::as2::parse_json(json).value();
  CHECK(doc["voters"]["total"].GetInt64() == 2);
  CHECK(doc["options"][0]["residents"].GetInt64() == 1);
  CHECK(doc["options"][2]["others"].GetInt64() == 1);
  auto ballots =
      db->read([&](storage::Connection& c) { return storage::polls::ballots(c, post.id); }).value();
  const auto audit = server::views::export_csv_with_voters(*found, ballots);
  CHECK(audit.find("https://a.example/users/anna,By the pond,yes,") != std::string::npos);
  CHECK(audit.find("https://b.example/users/bob,Nowhere,no,") != std::string::npos);
}

TEST_CASE_METHOD(ConsultationFixture, "consultation: the export lists public replies, verified") {
  const auto post = create(bench());
  const auto dora = add_voter("d.example", "dora");
  const auto erik = add_voter("e.example", "erik");
  REQUIRE(db->write_sync([&](storage::Connection& c) -> Result<void> {
    auto signed_reply =
        civicpub::testing::remote_note("https://d.example/users/dora/statuses/1", post.ap_id);
    signed_reply.author_id = dora;
    auto id = storage::posts::insert(c, signed_reply);
    if (!id) return id.error();
    if (auto r = storage::post_provenance::record(c, *id, "signature",
                                                  "https://d.example/users/dora/statuses/1/activity",
                                                  now);
        !r) {
      return r;
    }
    auto quiet = civicpub::testing::remote_note("https://e.example/users/erik/statuses/9",
                                                "https://d.example/users/dora/statuses/1");
    quiet.thread_root = post.ap_id;
    quiet.author_id = erik;
    quiet.visibility = storage::Visibility::followers;  // not public: not exported
    auto quiet_id = storage::posts::insert(c, quiet);
    if (!quiet_id) return quiet_id.error();
    return {};
  }));
  REQUIRE(test::run(consultations.answer(post.ap_id, "town", "Thank you.")));
  auto found = db->read([&](storage::Connection& c) {
                   return server::views::with_replies(
                       c, server::views::find_consultation(c, post.ap_id));
                 }).value();
  REQUIRE(found);
  REQUIRE(found->replies.size() == 2);
  CHECK(found->replies[0].verified_by == "signature");
  CHECK(found->replies[1].verified_by == "local");
  const auto csv = server::views::export_csv(*found);
  CHECK(csv.find("https://d.example/users/dora/statuses/1,dora@d.example,d.example,") !=
        std::string::npos);
  CHECK(csv.find(",https://d.example/users/dora/statuses/1/activity,signature\r\n") !=
        std::string::npos);
  CHECK(csv.find(",local\r\n") != std::string::npos);
  CHECK(csv.find("erik") == std::string::npos);
  auto doc = federation::as2::parse_json(server::views::export_json(*found)).value();
  CHECK(std::string(doc["replies"][0]["verified_by"].GetString()) == "signature");
  CHECK(std::string(doc["replies"][0]["author"].GetString()) == "dora@d.example");
}
