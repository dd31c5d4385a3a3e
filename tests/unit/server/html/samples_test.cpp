// Not a check: writes sample pages to /tmp/html-samples for a look in a browser. Hidden from the
// default run; `test_server "[.samples]"` runs it.
#include "server/html/error_page.hpp"
#include "server/html/home_page.hpp"
#include "server/html/post_page.hpp"
#include "server/html/profile_page.hpp"

#include "tests/unit/server/html/html_fixtures.hpp"

#include <filesystem>
#include <fstream>
#include <vector>

using namespace civicpub::server::html;
using namespace civicpub::server::html::testing;

namespace {

void write_sample(const std::string& name, const std::string& html) {
  const std::filesystem::path dir = "/tmp/html-samples";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / name) << html;
}

PostView post(std::string id, std::string html, AuthorView author, std::int64_t replies = 0) {
  PostView p = sample_post(std::move(id), "");
  p.content_html = std::move(html);
  p.author = std::move(author);
  p.reply_count = replies;
  return p;
}

AuthorView remote(std::string name, std::string user, std::string domain) {
  return {.display_name = std::move(name),
          .username = std::move(user),
          .domain = domain,
          .profile_url = "https://" + domain + "/@" + user};
}

}  // namespace

TEST_CASE("write sample pages", "[.samples]") {
  const auto instance = sample_instance();
  const auto hall = author_view(sample_actor());

  ProfileContent profile;
  profile.counts = {.posts = 248, .followers = 1532, .following = 12};
  profile.posts.push_back(post("3",
                               "<p>The recycling centre on Mill Road is closed on Saturday for "
                               "maintenance. The site on Harbour Lane is open as usual.</p>",
                               hall, 4));
  profile.posts.push_back(post("2",
                               "<p>Council meeting tonight at 19:00, streamed at <a "
                               "href=\"https://town.example/live\">town.example/live</a>. "
                               "<a href=\"https://town.example/tags/council\" class=\"hashtag\">"
                               "#council</a></p>",
                               hall, 0));
  profile.posts.back().content_warning = "Agenda includes the parking fees";
  profile.posts.push_back(post("1", "<p>Welcome to our new fediverse account!</p>", hall, 1));
  profile.pages.older_url = "https://town.example/@cityhall?max_id=1";
  write_sample("profile.html", profile_page(instance, sample_actor(), profile));

  ThreadNode root{post("r",
                       "<p>Roadworks on Main Street start Monday and last about two weeks. "
                       "Buses 3 and 7 are diverted via Station Road.</p>",
                       hall, 3),
                  {}};
  ThreadNode jane{post("j", "<p>Will the bike lane stay open?</p>",
                       remote("Jane Doe", "jane", "social.example"), 1),
                  {}};
  ThreadNode answer{post("a", "<p>Yes, on the north side.</p>", hall, 1), {}};
  ThreadNode deep{post("d0", "<p>Thanks! Can you post a map?</p>", jane.post.author, 1), {}};
  ThreadNode* tip = &deep;
  for (int i = 1; i <= 7; ++i) {
    const bool even = i % 2 == 0;
    tip->replies.push_back({post("d" + std::to_string(i),
                                 "<p>Reply at depth " + std::to_string(i + 3) +
                                     ", still readable on a phone screen.</p>",
                                 even ? jane.post.author : hall, 1),
                            {}});
    tip = &tip->replies.back();
  }
  answer.replies.push_back(std::move(deep));
  jane.replies.push_back(std::move(answer));
  ThreadNode gone{post("g", "", hall, 1), {}};
  gone.post.deleted = true;
  gone.replies.push_back({post("g1",
                               "<p>What did they say? Also a_very_long_word_without_any_breaks_"
                               "that_must_wrap_somewhere_on_small_screens</p>",
                               remote("Bob", "bob", "mastodon.example"), 0),
                          {}});
  root.replies.push_back(std::move(jane));
  root.replies.push_back(std::move(gone));
  write_sample("thread.html",
               post_page(instance, root, "https://town.example/users/cityhall/statuses/a"));

  auto group = sample_actor();
  group.type = "Group";
  group.username = "garden";
  group.display_name = "Community Garden";
  group.url = "https://town.example/@garden";
  const std::vector<civicpub::storage::ActorRecord> accounts = {sample_actor(), group};
  write_sample("home.html", home_page(instance, accounts));
  write_sample("404.html", error_page(instance, 404));
}
