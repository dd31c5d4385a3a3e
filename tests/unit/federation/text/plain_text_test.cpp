#include "federation/text/sanitizer.hpp"

#include <catch2/catch.hpp>

namespace text = civicpub::federation::text;
using text::html_to_plain_text;

TEST_CASE("plain text: paragraphs become blank lines, <br> a newline") {
  CHECK(html_to_plain_text("<p>one</p><p>two<br>three</p>") == "one\n\ntwo\nthree");
  CHECK(html_to_plain_text("<p>a<br><br>b</p>") == "a\n\nb");
  CHECK(html_to_plain_text("<br><p></p><p>x</p><br>") == "x");
}

TEST_CASE("plain text: entities decoded, whitespace collapsed, pre kept") {
  CHECK(html_to_plain_text("<p>Tom &amp; Jerry &lt;3\n   again</p>") == "Tom & Jerry <3 again");
  CHECK(html_to_plain_text("<pre>a\n  b</pre>") == "a\n  b");
}

TEST_CASE("plain text: Mastodon links and mentions read as their full text") {
  CHECK(html_to_plain_text(
            "<p><span class=\"h-card\"><a href=\"https://m.example/@anna\" class=\"u-url "
            "mention\">@<span>anna</span></a></span> see <a href=\"https://example.com/long\">"
            "<span class=\"invisible\">https://</span><span class=\"ellipsis\">example.com"
            "</span><span class=\"invisible\">/long</span></a></p>") ==
        "@anna see https://example.com/long");
}

TEST_CASE("plain text: lists one item a line, script and style contribute nothing") {
  CHECK(html_to_plain_text("<p>list</p><ul><li>a</li><li>b</li></ul>") == "list\n\na\nb");
  CHECK(html_to_plain_text("a<script>alert(1)</script><style>p{}</style>b") == "ab");
  CHECK(html_to_plain_text("<div>x</div><div>y</div>") == "x\n\ny");
}

TEST_CASE("plain text: deep nesting does not recurse") {
  std::string deep;
  for (int k = 0; k < 3000; ++k) deep += "<span>";
  deep += "bottom";
  CHECK(html_to_plain_text(deep) == "bottom");
}
