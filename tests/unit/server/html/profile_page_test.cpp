#include "server/html/profile_page.hpp"

#include "tests/unit/server/html/html_fixtures.hpp"

using namespace civicpub::server::html;
using namespace civicpub::server::html::testing;

TEST_CASE("profile page shows name, handle, badge, summary and counts", "[html]") {
  ProfileContent content;
  content.counts = {.posts = 12, .followers = 1, .following = 3};
  const std::string html = profile_page(sample_instance(), sample_actor(), content);

  require_complete_document(html);
  CHECK(contains(html, "<title>City Hall \u00b7 Town of Example</title>"));
  CHECK(contains(html, "<h1>City Hall</h1>"));
  CHECK(contains(html, "<p class=\"handle\"><code>@cityhall@town.example</code>"));
  CHECK(contains(html, "<span class=\"badge\">Organization</span>"));
  // summary_html is sanitized upstream and goes in unchanged.
  CHECK(contains(html, "<p>News from the <strong>Town of Example</strong>.</p>"));
  CHECK(contains(html, "<li><strong>12</strong> posts</li>"));
  CHECK(contains(html, "<li><strong>1</strong> follower</li>"));
  CHECK(contains(html, "<li><strong>3</strong> following</li>"));
  CHECK(contains(html,
                 "<link rel=\"alternate\" type=\"application/activity+json\" "
                 "href=\"https://town.example/users/cityhall\">"));
  CHECK(contains(html, "<link rel=\"canonical\" href=\"https://town.example/@cityhall\">"));
  CHECK(contains(html, "No public posts yet."));
  CHECK_FALSE(contains(html, "rel=\"next\""));
  CHECK_FALSE(contains(html, "noindex"));
}

TEST_CASE("profile page groups the digits of large counts", "[html]") {
  ProfileContent content;
  content.counts = {.posts = 999, .followers = 1532, .following = 1234567};
  const std::string html = profile_page(sample_instance(), sample_actor(), content);
  CHECK(contains(html, "<li><strong>999</strong> posts</li>"));
  CHECK(contains(html, "<li><strong>1,532</strong> followers</li>"));
  CHECK(contains(html, "<li><strong>1,234,567</strong> following</li>"));
}

TEST_CASE("profile page escapes a hostile display name and handle", "[html]") {
  auto actor = sample_actor();
  actor.display_name = "<script>alert(1)</script>";
  actor.username = "a\"b";
  const std::string html = profile_page(sample_instance(), actor, {});

  require_complete_document(html);
  CHECK_FALSE(contains(html, "<script>alert(1)</script>"));
  CHECK(contains(html, "<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>"));
  CHECK(contains(html, "<title>&lt;script&gt;alert(1)&lt;/script&gt; \u00b7"));
  // Not a username any server may have: the handle is the domain alone (handles_test.cpp).
  CHECK(contains(html, "<code>town.example</code>"));
  CHECK_FALSE(contains(html, "a&quot;b"));
}

TEST_CASE("profile page falls back to the username without a display name", "[html]") {
  auto actor = sample_actor();
  actor.display_name.clear();
  const std::string html = profile_page(sample_instance(), actor, {});
  CHECK(contains(html, "<h1>cityhall</h1>"));
}

TEST_CASE("account type badges", "[html]") {
  CHECK(account_type_label("Organization") == "Organization");
  CHECK(account_type_label("Person") == "Person");
  CHECK(account_type_label("Service") == "Bot");
  CHECK(account_type_label("Application") == "Bot");
  CHECK(account_type_label("Group") == "Group");
  CHECK(account_type_label("Note").empty());

  auto actor = sample_actor();
  actor.type = "Something";
  CHECK_FALSE(contains(profile_page(sample_instance(), actor, {}), "class=\"badge\""));
}

TEST_CASE("profile page explains how to follow", "[html]") {
  auto actor = sample_actor();
  std::string html = profile_page(sample_instance(), actor, {});
  CHECK(contains(html, "<h2 id=\"follow-heading\">How to follow</h2>"));
  CHECK(contains(html, "Copy the handle <code>@cityhall@town.example</code>"));
  CHECK(contains(html, "paste the handle into its search"));
  CHECK(contains(html, "<strong>Follow</strong>"));
  CHECK(contains(html, "Mastodon"));
  CHECK_FALSE(contains(html, "This is a group"));
  CHECK_FALSE(contains(html, "approves followers by hand"));

  actor.type = "Group";
  actor.manually_approves_followers = true;
  html = profile_page(sample_instance(), actor, {});
  CHECK(contains(html, "This is a group"));
  CHECK(contains(html, "approves followers by hand"));
}

TEST_CASE("profile page lists recent posts with time, link and reply count", "[html]") {
  ProfileContent content;
  content.posts.push_back(sample_post("2", "Second"));
  content.posts.push_back(sample_post("1", "First"));
  content.posts[0].reply_count = 3;
  content.posts[1].reply_count = 1;
  content.posts[1].content_warning = "Road <works>";
  const std::string html = profile_page(sample_instance(), sample_actor(), content);

  require_complete_document(html);
  CHECK(contains(html, "<h2 id=\"posts-heading\">Recent posts</h2>"));
  CHECK(count(html, "<article class=\"post\">") == 2);
  CHECK(html.find("<p>Second</p>") < html.find("<p>First</p>"));
  CHECK(contains(html,
                 "<a href=\"https://town.example/@cityhall/2\" title=\"Open this post\">"
                 "<time datetime=\"2026-11-22T18:32:44.123Z\">22 Nov 2026, 18:32 UTC"
                 "</time></a>"));
  CHECK(contains(html, "3 replies"));
  CHECK(contains(html, "1 reply"));
  CHECK(contains(html, "<details><summary>Road &lt;works&gt; <span class=\"hint\">"));
  CHECK(contains(html, "<div class=\"content\" lang=\"en\"><p>First</p></div>"));
  CHECK_FALSE(contains(html, "No public posts yet."));
}

TEST_CASE("profile page pagination links", "[html]") {
  ProfileContent content;
  content.posts.push_back(sample_post("1", "x"));
  content.pages.older_url = "https://town.example/@cityhall?max_id=1";
  std::string html = profile_page(sample_instance(), sample_actor(), content);
  CHECK(contains(html, "<a rel=\"next\" href=\"https://town.example/@cityhall?max_id=1\">"));
  CHECK_FALSE(contains(html, "rel=\"prev\""));

  content.pages.newer_url = "/@cityhall?min_id=1&page=2";
  html = profile_page(sample_instance(), sample_actor(), content);
  CHECK(contains(html, "<a rel=\"prev\" href=\"/@cityhall?min_id=1&amp;page=2\">"));
  CHECK(html.find("rel=\"prev\"") < html.find("rel=\"next\""));
}

TEST_CASE("profile page of an undiscoverable account asks not to be indexed", "[html]") {
  auto actor = sample_actor();
  actor.discoverable = false;
  CHECK(contains(profile_page(sample_instance(), actor, {}), "content=\"noindex\""));
}
