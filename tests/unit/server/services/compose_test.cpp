#include "server/services/compose.hpp"
#include "federation/text/html_escape.hpp"

#include <catch2/catch.hpp>

#include <map>

namespace text = civicpub::federation::text;
namespace services = civicpub::server::services;
using Kind = civicpub::federation::as2::NoteTag::Kind;

namespace {

// Resolves from a fixed table keyed by "user@domain" (domain empty for local accounts).
services::ComposeOptions options_with(std::map<std::string, services::MentionTarget> known = {}) {
  services::ComposeOptions o;
  o.local_domain = "civic.example";
  o.base_url = "https://civic.example";
  o.resolve_mention =
      [known = std::move(known)](const services::MentionRef& m) -> std::optional<services::MentionTarget> {
    const auto it = known.find(m.username + "@" + m.domain);
    if (it == known.end()) return std::nullopt;
    return it->second;
  };
  return o;
}

std::string html(std::string_view plain) {
  return services::compose_plain_text(plain, options_with()).html;
}

const services::MentionTarget kAnnaRemote{"http://127.0.0.1:8081/users/anna",
                                      "http://127.0.0.1:8081/@anna"};
const services::MentionTarget kBenLocal{"https://civic.example/users/ben",
                                    "https://civic.example/@ben"};

}  // namespace

TEST_CASE("html_escape escapes the five characters that matter, nothing else") {
  CHECK(text::html_escape(R"(<a href="x">Tom & Jerry's</a>)") ==
        "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
  CHECK(text::html_escape("plain ü text") == "plain ü text");
  CHECK(text::html_escape("") == "");
}

TEST_CASE("compose escapes markup in the text") {
  CHECK(html(R"(<script>alert("x")</script> & 'y')") ==
        "<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;</p>");
  CHECK(html("a &amp; b") == "<p>a &amp;amp; b</p>");
}

TEST_CASE("compose makes paragraphs on blank lines and <br> on single newlines") {
  CHECK(html("one") == "<p>one</p>");
  CHECK(html("one\ntwo") == "<p>one<br>two</p>");
  CHECK(html("one\n\ntwo") == "<p>one</p><p>two</p>");
  CHECK(html("one\r\n\r\n\r\ntwo\r\nthree") == "<p>one</p><p>two<br>three</p>");
  CHECK(html("one\n  \t\ntwo") == "<p>one</p><p>two</p>");  // whitespace-only line is blank
  CHECK(html("\n\none\n\n") == "<p>one</p>");
  CHECK(html("") == "");
  CHECK(html(" \n\n ") == "");
}

TEST_CASE("compose replaces invalid UTF-8 rather than passing it on") {
  CHECK(html("a\xff"
             "b") ==
        "<p>a\xEF\xBF\xBD"
        "b</p>");
  CHECK(html("caf\xC3\xA9") == "<p>caf\xC3\xA9</p>");
}

TEST_CASE("compose links http and https URLs the Mastodon way") {
  CHECK(html("see https://example.com/a?b=1&c=2 now") ==
        "<p>see <a href=\"https://example.com/a?b=1&amp;c=2\" rel=\"nofollow noopener "
        "noreferrer\" target=\"_blank\"><span class=\"invisible\">https://</span><span>"
        "example.com/a?b=1&amp;c=2</span><span class=\"invisible\"></span></a> now</p>");
  // "www." is hidden too; past 30 characters the rest goes into an invisible span.
  CHECK(html("http://www.example.com/a/very/long/path/that/goes/on") ==
        "<p><a href=\"http://www.example.com/a/very/long/path/that/goes/on\" rel=\"nofollow "
        "noopener noreferrer\" target=\"_blank\"><span class=\"invisible\">http://www."
        "</span><span class=\"ellipsis\">example.com/a/very/long/path/t</span><span "
        "class=\"invisible\">hat/goes/on</span></a></p>");
}

TEST_CASE("compose leaves trailing punctuation and unmatched parentheses out of links") {
  const auto href_of = [](std::string_view plain) {
    const std::string h = html(plain);
    const auto start = h.find("href=\"");
    if (start == std::string::npos) return std::string("(no link)");
    return h.substr(start + 6, h.find('"', start + 6) - start - 6);
  };
  CHECK(href_of("Look: https://example.com/x.") == "https://example.com/x");
  CHECK(href_of("https://example.com/x, and more") == "https://example.com/x");
  CHECK(href_of("really? https://example.com/x?!") == "https://example.com/x");
  CHECK(href_of("(see https://example.com/x)") == "https://example.com/x");
  CHECK(href_of("https://en.wikipedia.org/wiki/Foo_(bar)") ==
        "https://en.wikipedia.org/wiki/Foo_(bar)");
  CHECK(href_of("(https://en.wikipedia.org/wiki/Foo_(bar))") ==
        "https://en.wikipedia.org/wiki/Foo_(bar)");
  CHECK(href_of("\"https://example.com/q\"") == "https://example.com/q");
  CHECK(href_of("HTTPS://Example.com/") == "HTTPS://Example.com/");
}

TEST_CASE("compose does not link what is not an http(s) URL") {
  CHECK(html("ftp://example.com") == "<p>ftp://example.com</p>");
  CHECK(html("javascript:alert(1)") == "<p>javascript:alert(1)</p>");
  CHECK(html("https://") == "<p>https://</p>");
  CHECK(html("xhttps://example.com") == "<p>xhttps://example.com</p>");
  CHECK(html("example.com") == "<p>example.com</p>");
}

TEST_CASE("compose links a resolved remote mention with a port") {
  const auto c = services::compose_plain_text("hi @anna@127.0.0.1:8081!",
                                          options_with({{"anna@127.0.0.1:8081", kAnnaRemote}}));
  CHECK(c.html ==
        "<p>hi <span class=\"h-card\"><a href=\"http://127.0.0.1:8081/@anna\" class=\"u-url "
        "mention\">@<span>anna</span></a></span>!</p>");
  REQUIRE(c.mentions.size() == 1);
  CHECK(c.mentions[0].username == "anna");
  CHECK(c.mentions[0].domain == "127.0.0.1:8081");
  CHECK(c.mentions[0].handle == "@anna@127.0.0.1:8081");
  CHECK(c.unresolved.empty());
  REQUIRE(c.tags.size() == 1);
  CHECK(c.tags[0].kind == Kind::mention);
  CHECK(c.tags[0].href == "http://127.0.0.1:8081/users/anna");
  CHECK(c.tags[0].name == "@anna@127.0.0.1:8081");
}

TEST_CASE("compose treats @user and @user@local-domain as the same local account") {
  const auto c =
      services::compose_plain_text("@ben and @ben@Civic.Example", options_with({{"ben@", kBenLocal}}));
  CHECK(c.html ==
        "<p><span class=\"h-card\"><a href=\"https://civic.example/@ben\" class=\"u-url "
        "mention\">@<span>ben</span></a></span> and <span class=\"h-card\"><a "
        "href=\"https://civic.example/@ben\" class=\"u-url mention\">@<span>ben</span></a>"
        "</span></p>");
  REQUIRE(c.mentions.size() == 1);
  CHECK(c.mentions[0].domain.empty());
  REQUIRE(c.tags.size() == 1);
  CHECK(c.tags[0].name == "@ben@civic.example");
}

TEST_CASE("compose keeps unknown mentions as text and reports them for WebFinger") {
  const auto c = services::compose_plain_text("cc @zoe@far.example and @nobody", options_with());
  CHECK(c.html == "<p>cc @zoe@far.example and @nobody</p>");
  REQUIRE(c.unresolved.size() == 2);
  CHECK(c.unresolved[0].handle == "@zoe@far.example");
  CHECK(c.unresolved[0].domain == "far.example");
  CHECK(c.unresolved[1].username == "nobody");
  CHECK(c.unresolved[1].domain.empty());
  CHECK(c.tags.empty());
}

TEST_CASE("extract_mentions lists distinct mentions and skips e-mail addresses and links") {
  const auto m = services::extract_mentions(
      "@Anna@Social.Example, mail anna@example.com; @anna@social.example again\n"
      "https://social.example/@carl and @dora.b-c. plus a=@x and /@y",
      "civic.example");
  REQUIRE(m.size() == 2);
  CHECK(m[0].username == "Anna");
  CHECK(m[0].domain == "social.example");
  CHECK(m[0].handle == "@Anna@Social.Example");
  CHECK(m[1].username == "dora.b-c");  // trailing '.' is punctuation, inner '.' '-' kept
  CHECK(m[1].domain.empty());
}

TEST_CASE("compose does not turn e-mail addresses into mentions") {
  const auto c = services::compose_plain_text("write to anna@127.0.0.1:8081",
                                          options_with({{"127.0.0.1:8081@", kAnnaRemote}}));
  CHECK(c.html == "<p>write to anna@127.0.0.1:8081</p>");
  CHECK(c.mentions.empty());
}

TEST_CASE("compose links hashtags, including Unicode ones") {
  const auto c =
      services::compose_plain_text("#Civic meeting #Straßenfest #日本語 #civic", options_with());
  CHECK(c.html ==
        "<p><a href=\"https://civic.example/tags/Civic\" class=\"mention hashtag\" "
        "rel=\"tag\">#<span>Civic</span></a> meeting <a "
        "href=\"https://civic.example/tags/Stra%C3%9Fenfest\" class=\"mention hashtag\" "
        "rel=\"tag\">#<span>Straßenfest</span></a> <a "
        "href=\"https://civic.example/tags/%E6%97%A5%E6%9C%AC%E8%AA%9E\" class=\"mention "
        "hashtag\" rel=\"tag\">#<span>日本語</span></a> <a "
        "href=\"https://civic.example/tags/civic\" class=\"mention hashtag\" "
        "rel=\"tag\">#<span>civic</span></a></p>");
  // Distinct ignoring ASCII case, first spelling wins.
  CHECK(c.hashtags == std::vector<std::string>{"Civic", "Straßenfest", "日本語"});
  REQUIRE(c.tags.size() == 3);
  CHECK(c.tags[0].kind == Kind::hashtag);
  CHECK(c.tags[0].name == "#Civic");
  CHECK(c.tags[0].href == "https://civic.example/tags/Civic");
}

TEST_CASE("compose hashtags stop at punctuation and may start with digits") {
  const auto c = services::compose_plain_text("#2024election, #snake_case. #tag's", options_with());
  CHECK(c.hashtags == std::vector<std::string>{"2024election", "snake_case", "tag"});
}

TEST_CASE("compose does not make tags of numbers, words, URLs or anchors") {
  const auto tags_of = [](std::string_view plain) {
    return services::compose_plain_text(plain, options_with()).hashtags;
  };
  CHECK(tags_of("#123").empty());
  CHECK(tags_of("#_1").empty());
  CHECK(tags_of("issue#abc").empty());             // preceded by a letter
  CHECK(tags_of("x=#abc /#abc (a)#abc").empty());  // after '=', '/', ')'
  CHECK(tags_of("https://example.com/page#section").empty());
  CHECK(tags_of("# spaced").empty());
  CHECK(tags_of("#").empty());
  CHECK(tags_of("##tag") == std::vector<std::string>{"tag"});
}

TEST_CASE("compose escapes what a resolver returns") {
  const auto c = services::compose_plain_text(
      "@eve@evil.example",
      options_with(
          {{"eve@evil.example", {"https://evil.example/u", "https://evil.example/\"><x"}}}));
  CHECK(c.html.find("\"><x") == std::string::npos);
  CHECK(c.html.find("https://evil.example/&quot;&gt;&lt;x") != std::string::npos);
}

TEST_CASE("compose without a resolver lists every mention as unresolved") {
  services::ComposeOptions o;
  o.local_domain = "civic.example";
  o.base_url = "https://civic.example";
  const auto c = services::compose_plain_text("@a @b@x.example", o);
  CHECK(c.html == "<p>@a @b@x.example</p>");
  CHECK(c.unresolved.size() == 2);
}

TEST_CASE("compose mention boundaries: trailing dots, bad ports, word before '@'") {
  const auto m = services::extract_mentions(
      "@anna@example.com. @bob..@x.example:80a @carl@host:123456 x@dora 日本@emil", "");
  REQUIRE(m.size() == 4);
  CHECK(m[0].handle == "@anna@example.com");
  CHECK(m[1].handle == "@bob");        // "..@" ends the username
  CHECK(m[2].handle == "@x.example");  // ... and '.' before '@' starts a new one; ":80a" is text
  CHECK(m[3].handle == "@carl@host");  // six port digits are not a port
}

TEST_CASE("compose hashtags need a non-word character before '#', Unicode included") {
  const auto c = services::compose_plain_text("日本#tag Ω#tag (#ok)", options_with());
  CHECK(c.hashtags == std::vector<std::string>{"ok"});
}

// A long local post costs work in proportion to its length: thousands of hashtags and mentions
// are deduplicated through sets, a link's trailing closers are trimmed in one pass, and a line
// of "https://." (no host) is not scanned to its end once per occurrence.
TEST_CASE("compose: long runs of tags, mentions and link punctuation keep their meaning") {
  std::string tags;
  for (int k = 0; k < 20000; ++k)
    tags += "#t" + std::to_string(k) + " #T" + std::to_string(k) + " ";
  const auto composed = services::compose_plain_text(tags, options_with());
  CHECK(composed.hashtags.size() == 20000);  // #tN and #TN are one tag
  CHECK(composed.tags.size() == 20000);

  std::string mentions;
  for (int k = 0; k < 20000; ++k)
    mentions += "@u" + std::to_string(k) + "@x.example @U" + std::to_string(k) + "@X.example ";
  const auto mentioned = services::compose_plain_text(mentions, options_with());
  CHECK(mentioned.mentions.size() == 20000);
  CHECK(mentioned.unresolved.size() == 20000);
  CHECK(services::extract_mentions(mentions, "civic.example").size() == 20000);

  const std::string closers = "https://example.com/x" + std::string(50000, ')');
  const std::string h = html(closers);
  CHECK(h.find("href=\"https://example.com/x\"") != std::string::npos);

  std::string hostless;
  for (int k = 0; k < 20000; ++k) hostless += "https://.";
  CHECK(html(hostless).find("<a ") == std::string::npos);
}
