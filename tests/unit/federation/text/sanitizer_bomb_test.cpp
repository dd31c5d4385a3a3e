// Markup whose parse tree is far larger than the input (issue 11, item 1). Each test measures the
// parser's work (allocations, counted by ParseArena), never the time it took.
#include "federation/text/markup_scan.hpp"
#include "federation/text/sanitizer.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <limits>
#include <string>

namespace text = civicpub::federation::text;

namespace {

// n unclosed <b>s with distinct attributes (so the parser keeps every one: Noah's Ark only
// drops identical ones) inside a paragraph, then n paragraphs: each "a" re-opens all n.
std::string reconstruct_bomb(int n) {
  std::string html = "<p>";
  for (int k = 0; k < n; ++k) html += "<b x=1 y" + std::to_string(k) + "=1>";
  for (int k = 0; k < n; ++k) html += "<p>a";
  return html;
}

// The parse budget of an input (HtmlLimits' defaults).
std::size_t budget(const std::string& html) {
  return 1024 + text::HtmlLimits{}.parse_allocations_per_byte * html.size();
}

bool has_element(const std::string& html) {
  return html.find('<') != std::string::npos;
}

std::size_t count_a(const std::string& html) {
  return static_cast<std::size_t>(std::count(html.begin(), html.end(), 'a'));
}

}  // namespace

TEST_CASE("sanitizer bomb: unclosed formatting elements re-opened in every paragraph") {
  const std::string bomb = reconstruct_bomb(2047);
  REQUIRE(bomb.size() > 30000);
  REQUIRE(text::capped_input(bomb, {}).size() == bomb.size());  // within the input caps
  const auto result = text::sanitize_html_measured(bomb);
  CHECK(result.refused);
  // Refused before parsing: only the text was parsed, a few allocations.
  CHECK(result.work.allocations < 100);
  CHECK_FALSE(has_element(result.html));
  CHECK(count_a(result.html) == 2047);  // the words stay
  CHECK(count_a(text::html_to_plain_text(bomb)) == 2047);
}

TEST_CASE("sanitizer bomb: the issue's shape, <b x=1 yyy=1> then <p>a, is refused too") {
  std::string bomb;
  for (int k = 0; k < 2047; ++k) bomb += "<b x=1 yyy=1>";
  for (int k = 0; k < 2047; ++k) bomb += "<p>a";
  const auto result = text::sanitize_html_measured(bomb);
  CHECK(result.refused);
  CHECK_FALSE(has_element(result.html));
  CHECK(count_a(result.html) == 2047);
}

TEST_CASE("sanitizer bomb: a parse past its budget is abandoned, memory freed") {
  // The pre-scan switched off: the allocation budget alone must stop the parse. Unbounded,
  // this input makes about 5.8 million allocations (600,000 elements).
  text::HtmlLimits no_scan;
  no_scan.max_open_formatting = std::numeric_limits<std::size_t>::max();
  const std::string bomb = reconstruct_bomb(800);
  const auto result = text::sanitize_html_measured(bomb, no_scan);
  CHECK(result.refused);
  CHECK(result.work.allocations <= budget(bomb) + 100);
  CHECK_FALSE(has_element(result.html));
  CHECK(count_a(result.html) == 800);
}

TEST_CASE("sanitizer bomb: adoption agency and block re-opening shapes stay within budget") {
  text::HtmlLimits no_scan;
  no_scan.max_open_formatting = std::numeric_limits<std::size_t>::max();
  std::string agency;  // </b> with a deep stack of blocks under every <b>
  for (int k = 0; k < 1300; ++k) agency += "<b y" + std::to_string(k) + "=1><div>";
  for (int k = 0; k < 1300; ++k) agency += "</b>";
  std::string blocks;  // every </div> pops the <b>s, every "a" re-opens them
  for (int k = 0; k < 1300; ++k) blocks += "<div><b y" + std::to_string(k) + "=1>";
  for (int k = 0; k < 1300; ++k) blocks += "</div>a";
  for (const std::string& bomb : {agency, blocks}) {
    const auto scanned = text::sanitize_html_measured(bomb);
    CHECK(scanned.refused);
    CHECK(scanned.work.allocations < 100);
    const auto budgeted = text::sanitize_html_measured(bomb, no_scan);
    CHECK(budgeted.work.allocations <= budget(bomb) + 100);
    CHECK_FALSE(has_element(text::sanitize_html(bomb)));
  }
}

TEST_CASE("sanitizer bomb: large ordinary posts are not refused") {
  const std::string mention =
      R"(<p><span class="h-card"><a href="https://social.example/@anna" class="u-url mention">)"
      R"(@<span>anna</span></a></span> the <b>plan</b> is <em>here</em>: )"
      R"(<a href="https://town.example/plan" rel="nofollow">link</a></p>)";
  std::string long_post;
  while (long_post.size() + mention.size() < 120 * 1024) long_post += mention;
  std::string attributes = "<p";
  while (attributes.size() < 120 * 1024) attributes += " data-x=\"1\" title=a";
  attributes += ">text</p>";
  std::string nested;
  for (int k = 0; k < 10; ++k) nested += "<b><i><a href=\"https://x.example/\">";
  nested += "deep";
  for (const std::string& html : {long_post, attributes, nested}) {
    const auto result = text::sanitize_html_measured(html);
    CHECK_FALSE(result.refused);
    CHECK(result.work.allocations <= budget(html));
    CHECK(has_element(result.html));
  }
}

TEST_CASE("markup scan: open formatting elements are counted until their end tags") {
  CHECK(text::open_formatting_peak("") == 0);
  CHECK(text::open_formatting_peak("<b>x</b><i>y</i>") == 1);
  CHECK(text::open_formatting_peak("<b><i><A HREF=x>y</a></i></b>") == 3);
  CHECK(text::open_formatting_peak("<b><b><b>") == 3);
  CHECK(text::open_formatting_peak("</b></b><b>") == 1);  // stray end tags close nothing
  CHECK(text::open_formatting_peak("<div><p><span>") == 0);
  CHECK(text::open_formatting_peak("<b title='>'><i>") == 2);  // '>' inside a quoted value
  CHECK(text::open_formatting_peak("<script><b><b></script><b>") == 1);  // raw text
  CHECK(text::open_formatting_peak("<!-- <b><b> --><b>") == 1);
  CHECK(text::open_formatting_peak("a < b <b") == 1);
}

TEST_CASE("markup scan: the text of refused markup keeps words, drops tags and scripts") {
  CHECK(text::text_without_tags("<p>one</p><p>two<br>three</p>") == " one  two three ");
  CHECK(text::text_without_tags("a<b>b</b>c") == "abc");
  CHECK(text::text_without_tags("x<script>alert('<b>')</script>y<style>p{}</STYLE>z") == "xyz");
  CHECK(text::text_without_tags("1 < 2 &amp; <!-- c --> 3") == "1 &lt; 2 &amp;  3");
  CHECK(text::text_without_tags("<a href='x'>link</a") == "link");
  // Parsed, that text holds no element: references decoded, '<' re-escaped on output.
  text::HtmlLimits refuse_all;
  refuse_all.max_open_formatting = 0;
  CHECK(text::sanitize_html("<b>1 &lt; 2 &amp; 3</b><script>x</script>", refuse_all) ==
        "1 &lt; 2 &amp; 3");
}
