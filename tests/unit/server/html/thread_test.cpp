// The parts of the thread page and the feed added for threads across instances: remote posts,
// withheld placeholders, reaction counts, titles, and the Atom feed.
#include "tests/unit/server/html/html_fixtures.hpp"

#include "server/html/atom_feed.hpp"
#include "server/html/post_page.hpp"

using namespace civicpub;
using namespace civicpub::server::html;
using namespace civicpub::server::html::testing;

namespace {

PostView remote_post(std::string suffix, std::string text) {
  PostView post = sample_post(suffix, std::move(text));
  post.id = "https://peer.example/users/bob/statuses/" + suffix;
  post.url = "https://town.example/remote/" + suffix;
  post.original_url = "https://peer.example/@bob/" + suffix;
  post.author.username = "bob";
  post.author.display_name = "Bob <b>";
  post.author.domain = "peer.example";
  post.author.profile_url = "https://peer.example/@bob";
  return post;
}

}  // namespace

TEST_CASE("thread page: a remote reply shows its server and links its local page and original",
          "[html]") {
  ThreadNode root{sample_post("1", "Plan"), {}};
  root.replies.push_back({remote_post("9", "Reply"), {}});
  const std::string html = post_page(sample_instance(), root, root.post.id);
  require_complete_document(html);
  CHECK(contains(html, "<span class=\"handle\">@bob@peer.example</span>"));
  CHECK(contains(html, "Bob &lt;b&gt;"));
  CHECK(contains(html, "<a href=\"https://town.example/remote/9\" title=\"Open this post\">"));
  CHECK(contains(html,
                 "<a href=\"https://peer.example/@bob/9\" rel=\"nofollow noopener\">"
                 "Original on peer.example</a>"));
  // The local root has no "original" link.
  CHECK(count(html, "Original on") == 1);
  CHECK(contains(html, "<ol class=\"replies\">"));
  CHECK(contains(html, "<div class=\"content\" lang=\"en\">"));
}

TEST_CASE("thread page: a remote current post points search engines at the original", "[html]") {
  ThreadNode root{sample_post("1", "Plan"), {}};
  root.replies.push_back({remote_post("9", "Reply"), {}});
  const std::string html = post_page(sample_instance(), root, root.replies[0].post.id);
  require_complete_document(html);
  CHECK(contains(html, "<link rel=\"canonical\" href=\"https://peer.example/@bob/9\">"));
  CHECK(contains(html, "<meta name=\"robots\" content=\"noindex\">"));
  CHECK(contains(html, "This post comes from peer.example"));
  CHECK(contains(html, "<h1>Post by Bob &lt;b&gt;</h1>"));
  // A javascript: original is never linked.
  root.replies[0].post.original_url = "javascript:alert(1)";
  const std::string unsafe = post_page(sample_instance(), root, root.replies[0].post.id);
  CHECK_FALSE(contains(unsafe, "javascript:"));
  CHECK_FALSE(contains(unsafe, "see the original"));
}

TEST_CASE("thread page: a withheld post shows nothing of itself", "[html]") {
  ThreadNode root{sample_post("1", "Secret plan"), {}};
  root.post.withheld = true;
  root.post.content_warning = "secret cw";
  root.replies.push_back({sample_post("2", "Public answer"), {}});
  const std::string html = post_page(sample_instance(), root, root.replies[0].post.id);
  require_complete_document(html);
  CHECK(contains(html, "<article class=\"post deleted\">\n<p>This post is not public.</p>"));
  CHECK_FALSE(contains(html, "Secret plan"));
  CHECK_FALSE(contains(html, "secret cw"));
  CHECK(contains(html, "Public answer"));
}

TEST_CASE("thread page: like and share counts when there are any - titles escaped", "[html]") {
  PostView post = sample_post("1", "Plan");
  post.reply_count = 3;
  post.like_count = 1;
  post.share_count = 12;
  post.title = "Budget <2027>";
  const std::string html = post_page(sample_instance(), ThreadNode{post, {}}, post.id);
  CHECK(contains(html, "3 replies \u00b7 1 like \u00b7 12 shares"));
  CHECK(contains(html, "<p class=\"title\"><strong>Budget &lt;2027&gt;</strong></p>"));
  post.like_count = 0;
  post.share_count = 0;
  const std::string plain = post_page(sample_instance(), ThreadNode{post, {}}, post.id);
  CHECK_FALSE(contains(plain, "like"));
  CHECK_FALSE(contains(plain, "share"));
}

TEST_CASE("atom feed: escaped content, titles from name, warning or excerpt", "[html]") {
  std::vector<PostView> posts;
  posts.push_back(sample_post("3", "Tom &amp; Jerry <em>say</em> \x01hi"));
  posts.back().updated = posts.back().published + 60000;
  posts.push_back(sample_post("2", "x"));
  posts.back().content_warning = "Roadworks & detours";
  posts.push_back(sample_post("1", "x"));
  posts.back().title = "Budget \"2027\"";
  auto actor = sample_actor();
  const std::string xml = atom_feed(sample_instance(), actor, actor.uri + "/feed.atom", posts);
  CHECK(xml.rfind("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                  "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n",
                  0) == 0);
  CHECK(contains(xml, "<title>City Hall (@cityhall@town.example)</title>"));
  CHECK(contains(xml, "<subtitle>News from the Town of Example.</subtitle>"));
  CHECK(contains(xml,
                 "<content type=\"html\" xml:lang=\"en\">&lt;p&gt;Tom &amp;amp; Jerry "
                 "&lt;em&gt;say&lt;/em&gt; hi&lt;/p&gt;</content>"));
  CHECK_FALSE(contains(xml, "\x01"));
  // The excerpt comes from the parsed text (Gumbo may turn the control character into U+FFFD).
  CHECK(contains(xml, "<title>Tom &amp; Jerry say "));
  CHECK(contains(xml, "<title>Roadworks &amp; detours</title>"));
  CHECK(contains(xml, "<summary>Roadworks &amp; detours</summary>"));
  CHECK(contains(xml, "<title>Budget &quot;2027&quot;</title>"));
  CHECK(contains(xml, "<published>2026-11-22T18:32:44.123Z</published>"));
  CHECK(contains(xml, "<updated>2026-11-22T18:33:44.123Z</updated>"));
  CHECK(contains(xml,
                 "<link rel=\"alternate\" type=\"text/html\" "
                 "href=\"https://town.example/@cityhall/3\"/>"));
  CHECK(count(xml, "<entry>") == 3);
  CHECK(count(xml, "</entry>") == 3);
  CHECK(xml.substr(xml.size() - 8) == "</feed>\n");
  // The feed is as new as its newest change.
  CHECK(contains(xml, "  <updated>2026-11-22T18:33:44.123Z</updated>\n  <author>"));
}

TEST_CASE("atom feed: excerpts are cut by characters at a word boundary", "[html]") {
  CHECK(text_excerpt("<p>short</p>", 80) == "short");
  CHECK(text_excerpt("<p>one</p><p>two</p>", 80) == "one two");
  CHECK(text_excerpt("<p>alpha beta gamma delta</p>", 12) == "alpha beta\u2026");
  // Multi-byte characters are not split.
  CHECK(text_excerpt("<p>\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9</p>", 4) ==
        "\u00e9\u00e9\u00e9\u00e9\u2026");
  CHECK(text_excerpt("", 10).empty());
}
