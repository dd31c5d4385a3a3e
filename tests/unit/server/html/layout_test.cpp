#include "server/html/escape.hpp"
#include "server/html/layout.hpp"
#include "server/html/style.hpp"
#include "server/html/time_text.hpp"

#include "tests/unit/server/html/html_fixtures.hpp"

using namespace civicpub::server::html;
using namespace civicpub::server::html::testing;

TEST_CASE("escape replaces the five markup characters", "[html]") {
  CHECK(escape("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;");
  CHECK(escape("a & b \"c\" 'd'") == "a &amp; b &quot;c&quot; &#39;d&#39;");
  CHECK(escape("plain text, caf\xc3\xa9") == "plain text, caf\xc3\xa9");
  CHECK(escape("").empty());
}

TEST_CASE("safe_href keeps http(s) URLs and same-site paths only", "[html]") {
  CHECK(safe_href("https://town.example/@a") == "https://town.example/@a");
  CHECK(safe_href("HTTP://town.example/") == "HTTP://town.example/");
  CHECK(safe_href("/users/a") == "/users/a");
  CHECK(safe_href("/") == "/");
  CHECK(safe_href("javascript:alert(1)").empty());
  CHECK(safe_href("JavaScript:alert(1)").empty());
  CHECK(safe_href("java\tscript:alert(1)").empty());
  CHECK(safe_href("data:text/html,<b>x</b>").empty());
  CHECK(safe_href("//evil.example/").empty());
  CHECK(safe_href("/\\evil.example/").empty());
  CHECK(safe_href("https://town.example/a b").empty());
  CHECK(safe_href("").empty());
}

TEST_CASE("readable_utc and time_element", "[html]") {
  CHECK(readable_utc(1795372364123) == "22 Nov 2026, 18:32 UTC");
  CHECK(readable_utc(0) == "1 Jan 1970, 00:00 UTC");
  CHECK(time_element(1795372364123) ==
        "<time datetime=\"2026-11-22T18:32:44.123Z\">22 Nov 2026, 18:32 UTC</time>");
}

TEST_CASE("page wraps the body in a complete document", "[html]") {
  PageMeta meta = page_meta(sample_instance(), "City Hall", "https://town.example/@cityhall");
  meta.activity_json_url = "https://town.example/users/cityhall";
  const std::string html = page(meta, "<h1>City Hall</h1>\n<p>Body</p>\n");

  require_complete_document(html);
  CHECK(contains(html, "<html lang=\"en\">"));
  CHECK(contains(html, "<title>City Hall \u00b7 Town of Example</title>"));
  CHECK(contains(html, "<link rel=\"canonical\" href=\"https://town.example/@cityhall\">"));
  CHECK(contains(html,
                 "<link rel=\"alternate\" type=\"application/activity+json\" "
                 "href=\"https://town.example/users/cityhall\">"));
  CHECK(contains(html,
                 "<header class=\"site-header\"><a href=\"https://town.example/\" "
                 "rel=\"home\">Town of Example</a></header>"));
  CHECK(contains(html, "<main id=\"main\">\n<h1>City Hall</h1>\n<p>Body</p>\n</main>"));
  CHECK(contains(html, "<a href=\"https://town.example/#about\">About Town of Example</a>"));
  CHECK(contains(html, "Powered by civicpub"));
  CHECK(contains(html, std::string{"<style>"} + std::string{stylesheet()} + "</style>"));
  CHECK_FALSE(contains(html, "noindex"));
}

TEST_CASE("page leaves out optional links and escapes the meta text", "[html]") {
  PageMeta meta = page_meta(sample_instance(), "<script>alert(1)</script>");
  meta.description = "Say \"hi\" & <b>bye</b>";
  meta.noindex = true;
  const std::string html = page(meta, "<h1>x</h1>");

  require_complete_document(html);
  CHECK(contains(html, "<title>&lt;script&gt;alert(1)&lt;/script&gt; \u00b7 Town of Example"));
  CHECK(contains(html, "content=\"Say &quot;hi&quot; &amp; &lt;b&gt;bye&lt;/b&gt;\""));
  CHECK(contains(html, "<meta name=\"robots\" content=\"noindex\">"));
  CHECK_FALSE(contains(html, "rel=\"alternate\""));
  CHECK_FALSE(contains(html, "rel=\"canonical\""));
}

TEST_CASE("page refuses an alternate link that is not http(s)", "[html]") {
  PageMeta meta = page_meta(sample_instance(), "x");
  meta.activity_json_url = "javascript:alert(1)";
  const std::string html = page(meta, "<h1>x</h1>");
  CHECK_FALSE(contains(html, "rel=\"alternate\""));
  CHECK_FALSE(contains(html, "javascript:"));
}

TEST_CASE("the front page title is the instance name alone", "[html]") {
  const std::string html = page(page_meta(sample_instance(), ""), "<h1>x</h1>");
  CHECK(contains(html, "<title>Town of Example</title>"));
}

TEST_CASE("the stylesheet is self-contained and has a dark scheme", "[html]") {
  const std::string_view css = stylesheet();
  CHECK(contains(css, "prefers-color-scheme:dark"));
  CHECK(contains(css, "system-ui"));
  CHECK_FALSE(contains(css, "url("));
  CHECK_FALSE(contains(css, "@import"));
  CHECK_FALSE(contains(css, "</style"));
}
