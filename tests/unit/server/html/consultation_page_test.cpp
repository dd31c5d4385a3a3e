// The consultation page: state and deadline, the SVG chart with its text alternative and the
// same numbers in a table (residents and others when eligibility is set), the official answer
// before the discussion and not repeated in it, escaping of option names.
#include "server/html/consultation_page.hpp"
#include "server/html/consultation_list_page.hpp"
#include "server/html/post_fragment.hpp"
#include "tests/unit/server/html/html_fixtures.hpp"

#include <catch2/catch.hpp>

using namespace civicpub::server::html;
using namespace civicpub::server::html::testing;

namespace {

ConsultationView bench(bool split) {
  ConsultationView c;
  c.id = "https://town.example/users/cityhall/statuses/q1";
  c.title = "Where should the new bench go?";
  c.state = "open";
  c.closes_at = 1795372364123;
  if (split) c.eligible_domains = {"town.example"};
  c.options = {{"By the pond", 7, 2}, {"Near <the> library", 3, 0}};
  c.voters_residents = 10;
  c.voters_others = 2;
  c.author_handle = "@cityhall@town.example";
  return c;
}

ThreadNode thread_with_answer(const std::string& answer_id) {
  ThreadNode root{sample_post("q1", "The council decides in March."), {}};
  root.replies.push_back({sample_post("r1", "I like the pond."), {}});
  root.replies.push_back({sample_post("a1", "The bench goes by the pond."), {}});
  if (!answer_id.empty()) root.replies.back().post.id = answer_id;
  return root;
}

}  // namespace

TEST_CASE("consultation page: chart, table and how to vote while open") {
  const auto c = bench(true);
  const auto html = consultation_page(sample_instance(), c, thread_with_answer(""));
  CHECK(contains(html, "<h1>Where should the new bench go?</h1>"));
  CHECK(contains(html, "Open until 22 Nov 2026, 18:32 UTC"));
  CHECK(contains(html, "role=\"img\""));
  CHECK(contains(html,
                 "<desc id=\"chart-desc\">Votes per option: By the pond 9 (7 residents, 2 others); "
                 "Near &lt;the&gt; library 3 (3 residents, 0 others).</desc>"));
  CHECK(contains(html, "<th scope=\"col\">Residents</th><th scope=\"col\">Others</th>"));
  CHECK(contains(html,
                 "<th scope=\"row\">Near &lt;the&gt; library</th><td class=\"n\">3</td><td "
                 "class=\"n\">0</td><td class=\"n\">3</td>"));
  CHECK(contains(html, "<td class=\"n\">12</td>"));  // voters
  CHECK(contains(html, "How to vote"));
  CHECK(contains(html, "/statuses/q1/export.csv"));
  CHECK_FALSE(contains(html, "<the>"));
  CHECK_FALSE(contains(html, "Official answer"));
  CHECK(contains(html, "I like the pond."));
}

TEST_CASE("consultation page: without eligibility one bar and one column per option") {
  const auto svg = results_svg(bench(false));
  CHECK(count(svg, "<rect") == 2);
  CHECK(contains(svg, ">9</text>"));
  const auto split_svg = results_svg(bench(true));
  CHECK(count(split_svg, "<rect") == 4);
  CHECK(count(split_svg, "class=\"bar others\"") == 2);
  // The largest bar fills the room; the others are scaled to it.
  CHECK(contains(svg, "width=\"420\""));
  const auto html = consultation_page(sample_instance(), bench(false), thread_with_answer(""));
  CHECK_FALSE(contains(html, "Residents"));
}

TEST_CASE("consultation page: the official answer comes first, the discussion after") {
  auto c = bench(false);
  c.state = "answered";
  c.answer_id = "https://town.example/users/cityhall/statuses/answer";
  const auto html = consultation_page(sample_instance(), c, thread_with_answer(c.answer_id));
  REQUIRE(contains(html, "Official answer"));
  CHECK(html.find("Official answer") < html.find("Discussion"));
  CHECK(html.find("The bench goes by the pond.") < html.find("I like the pond."));
  CHECK(count(html, "The bench goes by the pond.") == 1);
  CHECK_FALSE(contains(html, "How to vote"));
  CHECK(contains(html, "Answered"));
}

TEST_CASE("consultation list: each consultation with its state, and the feed linked") {
  std::vector<ConsultationListItem> items{
      {"Where should the <new> bench go?", "https://town.example/@cityhall/q1", "open",
       1795372364123, 12},
      {"Market days", "https://town.example/@cityhall/q0", "answered", 1795372364123, 1}};
  const auto html =
      consultation_list_page(sample_instance(), author_view(sample_actor()),
                             "https://town.example/users/cityhall/consultations.atom", items);
  CHECK(contains(html, "Consultations by City Hall"));
  CHECK(contains(html, "Where should the &lt;new&gt; bench go?"));
  CHECK(contains(html, "Open</span> until <time"));
  CHECK(contains(html, "12 voters"));
  CHECK(contains(html, "Answered</span> \u00b7 1 voter"));
  CHECK(count(html, "consultations.atom") >= 2);  // <link rel=alternate> and the visible link
  const auto empty = consultation_list_page(sample_instance(), author_view(sample_actor()),
                                            "https://town.example/f.atom", {});
  CHECK(contains(empty, "No consultations yet."));
}

TEST_CASE("post fragment: another server's poll shows its options and counts") {
  auto post = sample_post("p1", "Which days should the market open?");
  post.poll = {{"Saturday", 3}, {"Sunday <b>", 1}};
  std::string html;
  append_post_article(html, post, {});
  CHECK(contains(html, "<ul class=\"poll\" aria-label=\"Poll (vote from your own server)\">"));
  CHECK(contains(html, "<li>Saturday: 3 votes</li>"));
  CHECK(contains(html, "<li>Sunday &lt;b&gt;: 1 vote</li>"));
  post.poll_closed = true;
  html.clear();
  append_post_article(html, post, {});
  CHECK(contains(html, "Poll results (closed)"));
  post.poll.clear();
  html.clear();
  append_post_article(html, post, {});
  CHECK_FALSE(contains(html, "class=\"poll\""));
}
