#include "server/html/post_page.hpp"

#include "tests/unit/server/html/html_fixtures.hpp"

using namespace civicpub::server::html;
using namespace civicpub::server::html::testing;

namespace {

AuthorView remote_author(std::string name) {
  return {.display_name = std::move(name),
          .username = "jane",
          .domain = "social.example",
          .profile_url = "https://social.example/@jane"};
}

// root
//   a (remote)
//     a1
//   b
ThreadNode sample_thread() {
  ThreadNode root{sample_post("root", "Roadworks on Main Street from Monday."), {}};
  ThreadNode a{sample_post("a", "How long will it take?"), {}};
  a.post.author = remote_author("Jane");
  a.replies.push_back({sample_post("a1", "About two weeks."), {}});
  root.replies.push_back(std::move(a));
  root.replies.push_back({sample_post("b", "Thanks for the notice."), {}});
  return root;
}

ThreadNode chain(std::size_t length) {
  ThreadNode root{sample_post("0", "level 0"), {}};
  ThreadNode* tip = &root;
  for (std::size_t i = 1; i < length; ++i) {
    tip->replies.push_back({sample_post(std::to_string(i), "level " + std::to_string(i)), {}});
    tip = &tip->replies.back();
  }
  return root;
}

}  // namespace

TEST_CASE("thread page renders root then nested replies in order", "[html]") {
  const ThreadNode thread = sample_thread();
  const std::string html = post_page(sample_instance(), thread, thread.post.id);

  require_complete_document(html);
  CHECK(contains(html, "<h1>Post by City Hall</h1>"));
  CHECK(contains(html, "<title>Post by City Hall \u00b7 Town of Example</title>"));
  const auto root = html.find("Roadworks on Main Street");
  const auto a = html.find("How long will it take?");
  const auto a1 = html.find("About two weeks.");
  const auto b = html.find("Thanks for the notice.");
  REQUIRE(root != std::string::npos);
  REQUIRE(b != std::string::npos);
  CHECK(root < a);
  CHECK(a < a1);
  CHECK(a1 < b);
  // a1 sits in a list nested inside a's list item, and b comes after that list closes.
  const auto nested = html.find("<ol class=\"replies\">", html.find("<ol class=\"replies\">") + 1);
  CHECK(a < nested);
  CHECK(nested < a1);
  CHECK(html.find("</ol>\n</li>", a1) < b);
  CHECK(count(html, "<article") == 4);
  CHECK(count(html, "aria-current=\"true\"") == 1);
  CHECK(contains(html,
                 "<article class=\"post\" id=\"current\" aria-current=\"true\">\n"
                 "<header><a class=\"name\" href=\"https://town.example/@cityhall\">"));
  CHECK_FALSE(contains(html, "Jump to this post"));
}

TEST_CASE("thread page shows author, handle with home server, and time", "[html]") {
  const ThreadNode thread = sample_thread();
  const std::string html = post_page(sample_instance(), thread, thread.post.id);
  CHECK(contains(html,
                 "<a class=\"name\" href=\"https://social.example/@jane\">Jane</a> "
                 "<span class=\"handle\">@jane@social.example</span>"));
  CHECK(contains(html, "<time datetime=\"2026-11-22T18:32:44.123Z\">"));
  CHECK(contains(html, "<h2 id=\"replies-heading\">Replies</h2>"));
}

TEST_CASE("thread page highlights the current reply and links to the root's twin", "[html]") {
  const ThreadNode thread = sample_thread();
  const std::string current = thread.replies[0].replies[0].post.id;
  const std::string html = post_page(sample_instance(), thread, current);

  require_complete_document(html);
  CHECK(count(html, "aria-current=\"true\"") == 1);
  const auto marked = html.find("aria-current=\"true\"");
  CHECK(marked > html.find("How long will it take?"));
  CHECK(marked < html.find("About two weeks."));
  CHECK(contains(html, "<a href=\"#current\">Jump to this post in the thread</a>"));
  CHECK(contains(html, "type=\"application/activity+json\" href=\"" + current + "\">"));
  CHECK(contains(html, "<link rel=\"canonical\" href=\"https://town.example/@cityhall/a1\">"));
}

TEST_CASE("thread page with an unknown current id highlights the root", "[html]") {
  const ThreadNode thread = sample_thread();
  const std::string html = post_page(sample_instance(), thread, "https://elsewhere/x");
  CHECK(count(html, "aria-current=\"true\"") == 1);
  CHECK(html.find("aria-current=\"true\"") < html.find("Roadworks"));
}

TEST_CASE("a deleted post with replies becomes a placeholder", "[html]") {
  ThreadNode thread = sample_thread();
  thread.replies[0].post.deleted = true;
  const std::string html = post_page(sample_instance(), thread, thread.post.id);

  require_complete_document(html);
  CHECK(contains(html,
                 "<article class=\"post deleted\">\n<p>This post was deleted.</p>\n"
                 "</article>"));
  CHECK_FALSE(contains(html, "How long will it take?"));
  CHECK_FALSE(contains(html, "@jane@social.example"));
  CHECK(contains(html, "About two weeks."));  // its reply stays
}

TEST_CASE("a deleted root keeps the page but offers no ActivityPub twin", "[html]") {
  ThreadNode thread = sample_thread();
  thread.post.deleted = true;
  const std::string html = post_page(sample_instance(), thread, thread.post.id);
  require_complete_document(html);
  CHECK(contains(html, "<h1>Deleted post</h1>"));
  CHECK_FALSE(contains(html, "rel=\"alternate\""));
}

TEST_CASE("thread page escapes text and keeps sanitized content", "[html]") {
  ThreadNode thread = sample_thread();
  thread.replies[0].post.author.display_name = "<script>alert(1)</script>";
  thread.replies[0].post.content_warning = "<b>spoiler</b>";
  thread.replies[0].post.author.profile_url = "javascript:alert(1)";
  thread.replies[1].post.content_html = "<p>A <a href=\"https://x.example/\">link</a></p>";
  const std::string html = post_page(sample_instance(), thread, thread.post.id);

  CHECK_FALSE(contains(html, "<script>alert(1)</script>"));
  CHECK_FALSE(contains(html, "javascript:"));
  CHECK(contains(html, "<span class=\"name\">&lt;script&gt;alert(1)&lt;/script&gt;</span>"));
  CHECK(contains(html, "<details><summary>&lt;b&gt;spoiler&lt;/b&gt; "));
  CHECK(contains(html, "<p>A <a href=\"https://x.example/\">link</a></p>"));
}

TEST_CASE("deep threads stop indenting, then stop rendering", "[html]") {
  const ThreadNode deep = chain(kMaxIndentDepth + 4);
  std::string html = post_page(sample_instance(), deep, deep.post.id);
  CHECK(count(html, "<ol class=\"replies\">") == kMaxIndentDepth + 1);
  CHECK(count(html, "<ol class=\"replies flat\">") == 2);
  CHECK(contains(html, "level " + std::to_string(kMaxIndentDepth + 3)));

  const ThreadNode too_deep = chain(kMaxThreadDepth + 5);
  html = post_page(sample_instance(), too_deep, too_deep.post.id);
  require_complete_document(html);
  CHECK(contains(html, "<p>level " + std::to_string(kMaxThreadDepth) + "</p>"));
  CHECK_FALSE(contains(html, "<p>level " + std::to_string(kMaxThreadDepth + 1) + "</p>"));
  CHECK(contains(html, "<a href=\"https://town.example/@cityhall/" +
                           std::to_string(kMaxThreadDepth + 1) +
                           "\">Continue this thread \u2192</a>"));
}
