#include "tests/unit/support/activity_fixtures.hpp"
#include "federation/as2/error.hpp"
#include "federation/convert/post_reader.hpp"
#include "federation/as2/reader.hpp"
#include "federation/as2/time_format.hpp"

#include <catch2/catch.hpp>

#include <string>

namespace as2 = civicpub::federation::as2;
namespace convert = civicpub::federation::convert;
using civicpub::test::load_activity;

namespace {

const rapidjson::Value& object_of(const rapidjson::Document& activity) {
  const auto* object = as2::find_member(activity, "object");
  REQUIRE(object != nullptr);
  return *object;
}

convert::RemotePost read_fixture_post(const std::string& name) {
  const auto activity = load_activity(name);
  auto post = convert::read_post(object_of(activity));
  INFO(name);
  REQUIRE(post.has_value());
  return std::move(*post);
}

convert::RemotePost read_inline(const char* json) {
  auto doc = as2::parse_json(json);
  REQUIRE(doc.has_value());
  auto post = convert::read_post(*doc);
  REQUIRE(post.has_value());
  return std::move(*post);
}

as2::DocumentError read_error(const char* json) {
  auto doc = as2::parse_json(json);
  REQUIRE(doc.has_value());
  auto post = convert::read_post(*doc);
  REQUIRE_FALSE(post.has_value());
  return as2::DocumentError(post.error().value());
}

constexpr const char* kPublic = "https://www.w3.org/ns/activitystreams#Public";

}  // namespace

TEST_CASE("read_post: a Mastodon reply with a content warning, a picture, a mention and a tag",
          "[as2][post_reader]") {
  const auto post = read_fixture_post("mastodon_create_reply.json");
  CHECK(post.id == "https://mastodon.example/users/bob/statuses/113512345678901234");
  CHECK(post.type == "Note");
  CHECK(post.attributed_to == "https://mastodon.example/users/bob");
  CHECK(post.content_html.find("detour stay until spring?") != std::string::npos);
  CHECK(post.language == "en");
  CHECK(post.name.empty());
  CHECK(post.summary == std::optional<std::string>("Road works"));
  CHECK(post.sensitive);
  CHECK(post.published == 1795166102000);
  CHECK_FALSE(post.updated);
  CHECK(post.url == "https://mastodon.example/@bob/113512345678901234");
  CHECK(post.in_reply_to ==
        std::optional<std::string>("https://town.example/users/council/posts/42"));
  CHECK(post.context ==
        std::optional<std::string>("https://town.example/users/council/posts/42/context"));
  CHECK(post.to == std::vector<std::string>{kPublic});
  CHECK(post.cc == std::vector<std::string>{"https://mastodon.example/users/bob/followers",
                                            "https://town.example/users/council"});

  REQUIRE(post.mentions.size() == 1);
  CHECK(post.mentions[0].actor_uri == "https://town.example/users/council");
  CHECK(post.mentions[0].name == "@council@town.example");
  REQUIRE(post.hashtags.size() == 1);
  CHECK(post.hashtags[0].name == "mainstreet");
  CHECK(post.hashtags[0].href == "https://mastodon.example/tags/mainstreet");

  // The preview card (a Link) is not media.
  REQUIRE(post.attachments.size() == 1);
  const auto& a = post.attachments[0];
  CHECK(a.type == "Document");
  CHECK(a.media_type == "image/jpeg");
  CHECK(a.url.find("/original/0a1b2c3d4e5f.jpg") != std::string::npos);
  CHECK(a.name == "A detour sign on Main Street in the rain");
  CHECK(a.width == std::optional<std::int64_t>(1600));
  CHECK(a.height == std::optional<std::int64_t>(1200));
  CHECK(a.blurhash == "UBL_:rOpGG-;~qRjWBay9Gj[ofWB%MayofWB");

  CHECK(convert::visibility_of(post, "https://mastodon.example/users/bob/followers") ==
        as2::Visibility::public_);
}

TEST_CASE(
    "read_post: a Mastodon edit carries `updated`, null members and a followers-only audience",
    "[as2][post_reader]") {
  const auto post = read_fixture_post("mastodon_update_note.json");
  CHECK(post.updated == std::optional<as2::Millis>(1795167611000));
  CHECK(post.published == 1795166102000);
  CHECK_FALSE(post.summary);  // "summary": null
  CHECK_FALSE(post.in_reply_to);
  CHECK_FALSE(post.sensitive);
  CHECK(post.attachments.empty());
  CHECK(post.mentions.empty());
  // `content` matches the second contentMap entry, not the first.
  CHECK(post.content_html == "<p>Fixed: the detour ends on Friday.</p>");
  CHECK(post.language == "en");
  CHECK(convert::visibility_of(post, "https://mastodon.example/users/bob/followers") ==
        as2::Visibility::followers);
  // Without knowing the author's followers collection it can only be direct.
  CHECK(convert::visibility_of(post, "") == as2::Visibility::direct);
}

TEST_CASE("read_post: Fedify collapses arrays to scalars and writes nine fraction digits",
          "[as2][post_reader]") {
  const auto post = read_fixture_post("fedify_create_note.json");
  CHECK(post.attributed_to == "https://fedify.example/users/carol");  // an embedded actor
  CHECK(post.in_reply_to ==
        std::optional<std::string>("https://town.example/users/council/posts/42"));
  CHECK(post.published == 1795280589123);
  CHECK(post.updated == std::optional<as2::Millis>(1795280589987));  // +02:00 offset
  CHECK(post.to == std::vector<std::string>{"as:Public"});
  CHECK(post.cc == std::vector<std::string>{"https://fedify.example/users/carol/followers"});
  CHECK(post.language == "en-GB");
  CHECK(post.url == "https://fedify.example/@carol/0192f1c4-7a3b-7c2d-9e8f-0a1b2c3d4e5f");
  REQUIRE(post.mentions.size() == 1);  // `tag` as one object
  CHECK(post.mentions[0].actor_uri == "https://town.example/users/council");
  REQUIRE(post.attachments.size() == 1);  // `attachment` as one object
  CHECK(post.attachments[0].type == "Image");
  CHECK(post.attachments[0].media_type == "image/webp");
  CHECK(post.attachments[0].name == "Town hall at dusk");
  CHECK(post.attachments[0].width == std::optional<std::int64_t>(800));
  CHECK(post.attachments[0].blurhash.empty());
  CHECK(convert::visibility_of(post, "https://fedify.example/users/carol/followers") ==
        as2::Visibility::public_);
}

TEST_CASE("read_post: a Lemmy post is a Page with a title, addressed to its community",
          "[as2][post_reader]") {
  const auto post = read_fixture_post("lemmy_create_page.json");
  CHECK(post.type == "Page");
  CHECK(post.id == "https://lemmy.example/post/3141");
  CHECK(post.attributed_to == "https://lemmy.example/u/dana");
  CHECK(post.name == "New cycle lane on Station Road: feedback thread");
  CHECK(post.content_html ==
        "<p>The council asks for comments until <strong>December 1</strong>.</p>\n");
  CHECK(post.language.empty());            // Lemmy's `language` object is not a contentMap
  CHECK(post.published == 1794988812557);  // six fraction digits
  CHECK_FALSE(post.context);               // Lemmy 0.19 sends none (1.0 does)
  CHECK(post.url.empty());
  CHECK(post.attachments.empty());  // the linked document is a Link, not media
  CHECK_FALSE(post.summary);
  CHECK_FALSE(post.sensitive);
  CHECK(post.to == std::vector<std::string>{"https://lemmy.example/c/townplanning", kPublic});
  CHECK(convert::visibility_of(post, "") == as2::Visibility::public_);
}

TEST_CASE("read_post: a Lemmy comment is a Note replying to the Page", "[as2][post_reader]") {
  const auto post = read_fixture_post("lemmy_create_comment_note.json");
  CHECK(post.type == "Note");
  CHECK(post.in_reply_to == std::optional<std::string>("https://lemmy.example/post/3141"));
  CHECK(post.published == 1794997369794);
  CHECK(post.name.empty());
  REQUIRE(post.mentions.size() == 1);
  CHECK(post.mentions[0].name == "@dana@lemmy.example");
}

TEST_CASE("read_post: GoToSocial writes scalars, a Video, an empty summary", "[as2][post_reader]") {
  const auto post = read_fixture_post("gotosocial_create_note.json");
  CHECK(post.published == 1795329900000);
  CHECK_FALSE(post.summary);  // "" is no content warning
  CHECK(post.url == "https://gts.example/@frank/statuses/01JD3K4M5N6P7Q8R9S0T1V2W3X");
  REQUIRE(post.hashtags.size() == 1);
  CHECK(post.hashtags[0].name == "winter");
  CHECK(post.hashtags[0].href == "https://gts.example/tags/winter");
  REQUIRE(post.attachments.size() == 1);
  CHECK(post.attachments[0].type == "Video");
  CHECK(post.attachments[0].media_type == "video/mp4");
  CHECK(post.attachments[0].name == "Snow clearing at the market square, 20 seconds");
  CHECK_FALSE(post.attachments[0].width);
  CHECK(post.attachments[0].blurhash == "LNJRmdxu?wD%-;D%M{of~q%MRjay");
  CHECK(convert::visibility_of(post, "https://gts.example/users/frank/followers") ==
        as2::Visibility::public_);
}

TEST_CASE("read_post: Misskey's HTML content wins over its MFM source", "[as2][post_reader]") {
  const auto post = read_fixture_post("misskey_create_note.json");
  CHECK(post.content_html.rfind("<p><a href=\"https://town.example/@council\"", 0) == 0);
  CHECK(post.summary == std::optional<std::string>("Spoiler: election results"));
  CHECK(post.sensitive);
  CHECK_FALSE(post.in_reply_to);  // "inReplyTo": null
  CHECK(post.published == 1795347045678);
  CHECK(post.url.empty());
  REQUIRE(post.mentions.size() == 1);  // the Emoji tag is neither mention nor hashtag
  CHECK(post.hashtags.empty());
  REQUIRE(post.attachments.size() == 1);
  CHECK(post.attachments[0].name.empty());  // "name": null
  CHECK(post.attachments[0].media_type == "image/png");
}

TEST_CASE("read_post: a Mastodon poll is a Question - unlisted by Public in cc",
          "[as2][post_reader]") {
  const auto post = read_fixture_post("mastodon_create_question.json");
  CHECK(post.type == "Question");
  CHECK(post.name.empty());  // Mastodon puts the question in `content`
  CHECK(post.content_html == "<p>Where should the new bench go?</p>");
  CHECK(convert::visibility_of(post, "https://mastodon.example/users/bob/followers") ==
        as2::Visibility::unlisted);
}

TEST_CASE("read_post: url as an array of Links prefers text/html", "[as2][post_reader]") {
  // PeerTube lists its streams next to the watch page.
  const auto post = read_inline(R"({
    "id": "https://tube.example/videos/watch/1", "type": "Note",
    "url": [
      {"type": "Link", "mediaType": "application/x-mpegURL", "href": "https://tube.example/m.m3u8"},
      {"type": "Link", "mediaType": "text/html; charset=utf-8", "href": "https://tube.example/w/1"}
    ]})");
  CHECK(post.url == "https://tube.example/w/1");
  CHECK(post.published == 0);  // absent: the caller picks a time

  const auto first = read_inline(R"({"id": "https://a.example/1", "type": "Note",
    "url": ["https://a.example/@x/1", {"href": "https://a.example/other", "mediaType": "image/png"}]})");
  CHECK(first.url == "https://a.example/@x/1");
}

TEST_CASE("read_post: Article titles, contentMap only, type arrays and attachment url shapes",
          "[as2][post_reader]") {
  const auto post = read_inline(R"({
    "id": {"id": "https://blog.example/2026/winter"},
    "type": ["Article", "Hashtag"],
    "attributedTo": [{"type": "Group", "id": "https://blog.example/g"}, "https://blog.example/ann"],
    "nameMap": {"fr": "Hiver"},
    "contentMap": {"fr": "<p>Bonjour</p>", "en": "<p>Hello</p>"},
    "summaryMap": {"fr": "Attention"},
    "sensitive": "true",
    "tag": [{"type": "Hashtag", "name": "Hiver"}, {"type": "Hashtag", "name": "#HIVER"},
            {"type": "Mention", "name": "@nobody"}, "https://blog.example/tags/x",
            {"type": "Mention", "href": "https://a.example/u", "name": "@u@a.example"},
            {"type": "Mention", "href": "https://a.example/u", "name": "@u@a.example"}],
    "attachment": [
      {"type": "Image", "url": {"type": "Link", "href": "https://blog.example/p.jpg", "mediaType": "image/jpeg"},
       "summary": "A frozen lake", "name": "p.jpg", "width": "800", "height": -1},
      {"type": "Audio", "mediaType": "audio/ogg",
       "url": [{"href": "https://blog.example/a.mp3", "mediaType": "audio/mpeg"},
               {"href": "https://blog.example/a.ogg", "mediaType": "audio/ogg"}]},
      {"type": "Document", "mediaType": "image/png"},
      {"type": "Emoji", "url": "https://blog.example/e.png"}
    ],
    "published": ["2026-11-22T18:32:44.1Z"]
  })");
  CHECK(post.id == "https://blog.example/2026/winter");
  CHECK(post.type == "Article");
  CHECK(post.attributed_to == "https://blog.example/ann");
  CHECK(post.name == "Hiver");
  CHECK(post.content_html == "<p>Bonjour</p>");
  CHECK(post.language == "fr");
  CHECK(post.summary == std::optional<std::string>("Attention"));
  CHECK_FALSE(post.sensitive);  // only a JSON boolean counts
  CHECK(post.published == 1795372364100);
  REQUIRE(post.hashtags.size() == 1);  // "Hiver" and "#HIVER" are one tag
  CHECK(post.hashtags[0].name == "hiver");
  CHECK(post.hashtags[0].href.empty());
  REQUIRE(post.mentions.size() == 1);  // no href: skipped; the duplicate: skipped
  REQUIRE(post.attachments.size() == 2);
  CHECK(post.attachments[0].url == "https://blog.example/p.jpg");
  CHECK(post.attachments[0].media_type == "image/jpeg");  // from the Link
  CHECK(post.attachments[0].name == "A frozen lake");     // summary before name
  CHECK_FALSE(post.attachments[0].width);
  CHECK_FALSE(post.attachments[0].height);
  CHECK(post.attachments[1].url == "https://blog.example/a.ogg");  // matches its mediaType
}

TEST_CASE("read_post: a Note's `name` is not a title (poll votes carry the option there)",
          "[as2][post_reader]") {
  const auto post = read_inline(R"({"id": "https://a.example/v", "type": "Note",
    "name": "By the pond", "inReplyTo": "https://mastodon.example/users/bob/statuses/1"})");
  CHECK(post.name.empty());
  CHECK(post.content_html.empty());
}

TEST_CASE("read_post: rejects what is not a post", "[as2][post_reader]") {
  CHECK(read_error(R"(["https://a.example/1"])") == as2::DocumentError::not_an_object);
  CHECK(read_error(R"({"type": "Note", "content": "x"})") == as2::DocumentError::missing_id);
  CHECK(read_error(R"({"id": "", "type": "Note"})") == as2::DocumentError::missing_id);
  CHECK(read_error(R"({"id": "https://a.example/1"})") == as2::DocumentError::missing_type);
  CHECK(read_error(R"({"id": "https://a.example/1", "type": "Person"})") ==
        as2::DocumentError::missing_type);
  CHECK(read_error(R"({"id": "https://a.example/1", "type": ["Tombstone"]})") ==
        as2::DocumentError::missing_type);
  CHECK(read_error(R"({"id": "https://a.example/1", "type": "Note", "published": "yesterday"})") ==
        as2::DocumentError::bad_date);
  CHECK(read_error(R"({"id": "https://a.example/1", "type": "Note", "published": 1795372364})") ==
        as2::DocumentError::bad_date);
  // A broken `updated` only loses the edit mark.
  const auto post = read_inline(R"({"id": "https://a.example/1", "type": "Note",
    "published": "2026-11-22T18:32:44Z", "updated": "soon"})");
  CHECK_FALSE(post.updated);
}

TEST_CASE("is_post_type and visibility_of", "[as2][post_reader]") {
  for (const char* t : {"Note", "Question", "Article", "Page"}) CHECK(convert::is_post_type(t));
  for (const char* t : {"", "note", "Event", "Create", "Tombstone"})
    CHECK_FALSE(convert::is_post_type(t));

  convert::RemotePost post;
  const std::string followers = "https://a.example/users/x/followers";
  post.to = {"Public"};
  CHECK(convert::visibility_of(post, followers) == as2::Visibility::public_);
  post.to = {followers};
  post.cc = {"as:Public"};
  CHECK(convert::visibility_of(post, followers) == as2::Visibility::unlisted);
  post.cc = {};
  CHECK(convert::visibility_of(post, followers) == as2::Visibility::followers);
  post.to = {"https://b.example/users/y"};
  post.cc = {followers};
  CHECK(convert::visibility_of(post, followers) == as2::Visibility::followers);
  post.cc = {"https://a.example/users/x/followers/extra"};
  CHECK(convert::visibility_of(post, followers) == as2::Visibility::direct);
}
