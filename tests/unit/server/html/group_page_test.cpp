#include "server/html/group_page.hpp"

#include "tests/unit/server/html/html_fixtures.hpp"

using namespace civicpub::server::html;
using namespace civicpub::server::html::testing;

namespace {

civicpub::storage::ActorRecord sample_group() {
  auto group = civicpub::test::local_actor("wijkraad");
  group.id = 2;
  group.type = "Group";
  group.display_name = "Wijkraad Centrum";
  return group;
}

GroupThreadItem item(std::string n, std::string text) {
  GroupThreadItem out;
  out.root = sample_post(n, text);
  out.root.url = "https://town.example/users/wijkraad/context/" + n;
  out.replies = 2;
  out.last_activity = out.root.published;
  return out;
}

}  // namespace

TEST_CASE("group page: a complete accessible document with threads, members and how to join",
          "[html]") {
  GroupPageContent content;
  content.members = 1532;
  content.threads = 2;
  content.moderators.push_back(author_view(sample_actor()));
  content.items.push_back(item("1", "Bankjes"));
  content.items.back().featured = true;
  content.items.push_back(item("2", "Fietsplan"));
  content.items.back().locked = true;
  content.pages.older_url = "https://town.example/@wijkraad?page=2";
  const std::string html = group_page(sample_instance(), sample_group(), content);

  require_complete_document(html);
  CHECK(contains(html, "<h1>Wijkraad Centrum</h1>"));
  CHECK(contains(html, "<span class=\"badge\">Group</span>"));
  CHECK(contains(html, "<strong>1532</strong> members"));
  CHECK(contains(html, "<strong>2</strong> threads"));
  CHECK(contains(html, "aria-labelledby=\"threads-heading\""));
  CHECK(contains(html, "<code>@wijkraad@town.example</code>"));
  CHECK(contains(html, "<code>!wijkraad@town.example</code>"));
  CHECK(contains(html, "<a href=\"https://town.example/users/wijkraad/context/1\">Bankjes</a>"));
  CHECK(contains(html, "<span class=\"badge\">Featured</span> Started by City Hall"));
  CHECK(contains(html, "<span class=\"badge\">Locked</span>"));
  CHECK(count(html, "2 replies") == 2);
  CHECK(contains(html, "<time datetime=\"2026-11-22T18:32:44.123Z\">"));
  CHECK(contains(html, "rel=\"next\" href=\"https://town.example/@wijkraad?page=2\""));
  CHECK(contains(html, "https://town.example/users/wijkraad/feed.atom"));
  CHECK(contains(html, "<h2 id=\"moderators-heading\">Moderators</h2>"));
}

TEST_CASE("group page: no threads yet, no moderators, a hostile name escaped", "[html]") {
  auto group = sample_group();
  group.display_name = "<script>alert(1)</script>";
  const std::string html = group_page(sample_instance(), group, {});
  require_complete_document(html);
  CHECK(contains(html, "No threads yet."));
  CHECK(contains(html, "This group has no moderators."));
  CHECK_FALSE(contains(html, "<script>alert(1)</script>"));
  CHECK(contains(html, "<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>"));
}

TEST_CASE("group thread page: the group, the lock, the top post and its replies", "[html]") {
  GroupThreadContent content;
  content.page_url = "https://town.example/users/wijkraad/context/ab";
  content.root.post = sample_post("1", "Bankjes op het plein");
  content.root.post.title = "Bankjes";
  content.root.replies.push_back({sample_post("2", "Graag!"), {}});
  content.locked = true;
  const std::string html = group_thread_page(sample_instance(), sample_group(), content);
  require_complete_document(html);
  CHECK(contains(html, "<h1>Bankjes</h1>"));
  CHECK(contains(html, "In the group <a href=\""));
  CHECK(contains(html, "This thread is locked"));
  CHECK(contains(html, "Graag!"));
  CHECK(contains(
      html, "<link rel=\"canonical\" href=\"https://town.example/users/wijkraad/context/ab\">"));
  CHECK(contains(html, "https://town.example/users/wijkraad/context/ab/feed.atom"));

  content.locked = false;
  content.root.post.deleted = true;
  const std::string deleted = group_thread_page(sample_instance(), sample_group(), content);
  CHECK_FALSE(contains(deleted, "This thread is locked"));
  CHECK_FALSE(contains(deleted, "Bankjes op het plein"));
  CHECK(contains(deleted, "<h1>Thread in Wijkraad Centrum</h1>"));
  CHECK(contains(deleted, "Graag!"));
}
