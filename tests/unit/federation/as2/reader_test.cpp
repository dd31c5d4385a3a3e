#include "federation/as2/envelope.hpp"
#include "federation/as2/error.hpp"
#include "federation/as2/reader.hpp"

#include <catch2/catch.hpp>

#include <string>

namespace as2 = civicpub::federation::as2;
using civicpub::ErrorKind;
using civicpub::kind_of;

namespace {

std::string nested_arrays(std::size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

std::string array_of(std::size_t n) {
  std::string s = "[";
  for (std::size_t i = 0; i < n; ++i) s += i ? ",1" : "1";
  return s + "]";
}

// Mastodon: compact Follow, string members, opaque id.
constexpr const char* kMastodonFollow = R"({
  "@context": "https://www.w3.org/ns/activitystreams",
  "id": "https://mastodon.example/9d0e1f2a-3b4c-5d6e-7f80-91a2b3c4d5e6",
  "type": "Follow",
  "actor": "https://mastodon.example/users/bob",
  "object": "https://town.example/users/council"
})";

// Fedify: context array with extra documents, one-element arrays collapsed to scalars, a
// fragment id.
constexpr const char* kFedifyFollow = R"({
  "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/data-integrity/v1"],
  "id": "https://fedify.example/users/carol#follows/https://town.example/users/council",
  "type": "Follow",
  "actor": "https://fedify.example/users/carol",
  "object": "https://town.example/users/council",
  "to": "https://town.example/users/council"
})";

// Lemmy/PeerTube-ish: type as an array, attributedTo listing a Group next to the Person, actor
// embedded as an object, audience, contentMap without content.
constexpr const char* kLemmyCreate = R"({
  "id": "https://lemmy.example/activities/create/1",
  "type": ["Create"],
  "actor": {"id": "https://lemmy.example/u/dora", "type": "Person"},
  "to": ["as:Public"],
  "cc": ["https://lemmy.example/c/town", {"id": "https://lemmy.example/u/dora/followers"}],
  "audience": "https://lemmy.example/c/town",
  "object": {
    "id": "https://lemmy.example/post/1",
    "type": "Page",
    "attributedTo": [{"type": "Group", "id": "https://lemmy.example/c/town"},
                     {"type": "Person", "id": "https://lemmy.example/u/dora"}],
    "contentMap": {"de": "<p>Hallo</p>", "en": "<p>Hello</p>"}
  }
})";

}  // namespace

TEST_CASE("parse_json accepts documents within the limits") {
  auto doc = as2::parse_json(kMastodonFollow);
  REQUIRE(doc.has_value());
  CHECK(doc->IsObject());
  CHECK(as2::parse_json(nested_arrays(32)).has_value());
  CHECK(as2::parse_json(array_of(1000)).has_value());
}

TEST_CASE("parse_json refuses documents over the byte limit") {
  auto r = as2::parse_json(std::string(100, ' ') + "{}", {.max_bytes = 64});
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error() == as2::DocumentError::too_large);
  CHECK(kind_of(r.error()) == ErrorKind::too_large);
  CHECK(as2::parse_json(R"({"a":1})", {.max_bytes = 7}).has_value());
}

TEST_CASE("parse_json refuses documents nested too deeply") {
  auto r = as2::parse_json(nested_arrays(33));
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error() == as2::DocumentError::too_deep);
  CHECK(kind_of(r.error()) == ErrorKind::invalid_input);
  r = as2::parse_json(R"({"a":{"b":{"c":1}}})", {.max_depth = 2});
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error() == as2::DocumentError::too_deep);
  // Far past any stack: the iterative parser must refuse it without recursing.
  r = as2::parse_json(nested_arrays(200000));
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error() == as2::DocumentError::too_deep);
}

TEST_CASE("parse_json refuses arrays that are too long, at any depth") {
  auto r = as2::parse_json(array_of(1001));
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error() == as2::DocumentError::array_too_long);
  r = as2::parse_json(R"({"to":)" + array_of(11) + "}", {.max_array = 10});
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error() == as2::DocumentError::array_too_long);
  // Elements of nested arrays count toward their own array, not the parent's.
  CHECK(as2::parse_json("[[1,1,1],[1,1,1],[1,1,1]]", {.max_array = 3}).has_value());
}

TEST_CASE("parse_json refuses objects with too many members, at any depth") {
  const auto object_of = [](int n) {
    std::string json = "{";
    for (int i = 0; i < n; ++i) json += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":1";
    return json + "}";
  };
  CHECK(as2::parse_json(object_of(1000)).has_value());
  auto r = as2::parse_json(object_of(1001));
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error() == as2::DocumentError::too_many_members);
  r = as2::parse_json(R"({"object":)" + object_of(11) + "}", {.max_members = 10});
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error() == as2::DocumentError::too_many_members);
  CHECK(civicpub::kind_of(make_error_code(as2::DocumentError::too_many_members)) ==
        civicpub::ErrorKind::invalid_input);
  // Members of nested objects count toward their own object.
  CHECK(as2::parse_json(R"({"a":{"x":1,"y":1},"b":{"x":1,"y":1}})", {.max_members = 2}).has_value());
}

TEST_CASE("parse_json refuses malformed input") {
  for (const std::string& bad : {std::string(""), std::string("{"), std::string("{} {}"),
                                 std::string("{\"a\":NaN}"), std::string("{\"a\":\"\xff\"}"),
                                 std::string("{}\0garbage", 10), std::string("{\"a\":1,}")}) {
    auto r = as2::parse_json(bad);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error() == as2::DocumentError::malformed_json);
  }
}

TEST_CASE("id_of and ids_of read strings, objects and arrays") {
  auto doc = as2::parse_json(R"({"s":"https://a/1","o":{"id":"https://a/2","type":"Person"},
    "a":["https://a/3",{"id":"https://a/4"},{"type":"Link"},7,["https://a/nested"]],
    "bad":{"id":{"id":"https://a/5"}},"empty":"","n":null})")
                 .value();
  CHECK(as2::id_of(doc["s"]) == "https://a/1");
  CHECK(as2::id_of(doc["o"]) == "https://a/2");
  CHECK(as2::id_of(doc["a"]) == "https://a/3");
  CHECK_FALSE(as2::id_of(doc["bad"]));  // an `id` that is itself an object is not an id
  CHECK_FALSE(as2::id_of(doc["empty"]));
  CHECK_FALSE(as2::id_of(doc["n"]));
  CHECK(as2::ids_of(doc["a"]) == std::vector<std::string>{"https://a/3", "https://a/4"});
  CHECK(as2::ids_of(doc["o"]) == std::vector<std::string>{"https://a/2"});
  CHECK(as2::ids_of(doc["n"]).empty());
  CHECK(as2::member_ids(doc, "missing").empty());
  CHECK_FALSE(as2::member_id(doc, "missing"));
}

TEST_CASE("type, public addressing and string helpers") {
  auto doc = as2::parse_json(R"({"type":["Create","Other"],"one":"x","many":[1,"y"]})").value();
  CHECK(as2::first_type(doc) == "Create");
  CHECK(as2::has_type(doc, "Other"));
  CHECK_FALSE(as2::has_type(doc, "Note"));
  CHECK(as2::string_or_first(doc["one"]) == "x");
  CHECK(as2::string_or_first(doc["many"]) == "y");
  CHECK(as2::is_public("https://www.w3.org/ns/activitystreams#Public"));
  CHECK(as2::is_public("as:Public"));
  CHECK(as2::is_public("Public"));
  CHECK_FALSE(as2::is_public("https://www.w3.org/ns/activitystreams#public"));
  CHECK_FALSE(as2::is_public("https://town.example/users/council/followers"));
}

TEST_CASE("envelope of a Mastodon Follow") {
  auto doc = as2::parse_json(kMastodonFollow).value();
  auto env = as2::read_envelope(doc);
  REQUIRE(env.has_value());
  CHECK(env->id == "https://mastodon.example/9d0e1f2a-3b4c-5d6e-7f80-91a2b3c4d5e6");
  CHECK(env->type == "Follow");
  CHECK(env->actor == "https://mastodon.example/users/bob");
  CHECK(env->object_id == "https://town.example/users/council");
  CHECK(env->object == nullptr);
  CHECK(env->to.empty());
  CHECK_FALSE(env->addressed_publicly());
}

TEST_CASE("envelope of a Fedify Follow with collapsed arrays") {
  auto doc = as2::parse_json(kFedifyFollow).value();
  auto env = as2::read_envelope(doc);
  REQUIRE(env.has_value());
  CHECK(env->type == "Follow");
  CHECK(env->actor == "https://fedify.example/users/carol");
  CHECK(env->to == std::vector<std::string>{"https://town.example/users/council"});
}

TEST_CASE("envelope and object helpers over a Lemmy-shaped Create") {
  auto doc = as2::parse_json(kLemmyCreate).value();
  auto env = as2::read_envelope(doc);
  REQUIRE(env.has_value());
  CHECK(env->type == "Create");
  CHECK(env->actor == "https://lemmy.example/u/dora");
  CHECK(env->object_id == "https://lemmy.example/post/1");
  REQUIRE(env->object != nullptr);
  CHECK(env->addressed_publicly());
  CHECK(env->cc == std::vector<std::string>{"https://lemmy.example/c/town",
                                            "https://lemmy.example/u/dora/followers"});
  CHECK(env->audience == std::vector<std::string>{"https://lemmy.example/c/town"});
  CHECK(as2::author_of(*env->object) == "https://lemmy.example/u/dora");
  CHECK(as2::content_of(*env->object, "en") == "<p>Hello</p>");
  CHECK(as2::content_of(*env->object, "fr") == "<p>Hallo</p>");
  CHECK(as2::content_of(*env->object) == "<p>Hallo</p>");
}

TEST_CASE("content prefers the plain content member") {
  auto doc = as2::parse_json(R"({"content":"<p>a</p>","contentMap":{"en":"<p>b</p>"}})").value();
  CHECK(as2::content_of(doc, "en") == "<p>a</p>");
  auto none = as2::parse_json(R"({"content":5})").value();
  CHECK_FALSE(as2::content_of(none));
}

TEST_CASE("author_of reads a string, an object or an array") {
  auto doc = as2::parse_json(R"({"a":{"attributedTo":"https://x/u"},
    "b":{"attributedTo":{"id":"https://x/v","type":"Person"}},
    "c":{"attributedTo":[{"type":"Group","id":"https://x/g"}]}})")
                 .value();
  CHECK(as2::author_of(doc["a"]) == "https://x/u");
  CHECK(as2::author_of(doc["b"]) == "https://x/v");
  CHECK(as2::author_of(doc["c"]) == "https://x/g");  // only a group: better than nothing
}

TEST_CASE("envelope rejects activities without id, type or actor") {
  struct Case {
    const char* json;
    as2::DocumentError error;
  };
  for (const auto& c : {
           Case{R"({"type":"Follow","actor":"https://a/u","object":"https://b/u"})",
                as2::DocumentError::missing_id},
           Case{R"({"id":{"id":"https://a/1"},"type":"Follow","actor":"https://a/u"})",
                as2::DocumentError::missing_id},
           Case{R"({"id":"","type":"Follow","actor":"https://a/u"})", as2::DocumentError::missing_id},
           Case{R"({"id":"https://a/1","actor":"https://a/u"})", as2::DocumentError::missing_type},
           Case{R"({"id":"https://a/1","type":[],"actor":"https://a/u"})", as2::DocumentError::missing_type},
           Case{R"({"id":"https://a/1","type":"Follow"})", as2::DocumentError::missing_actor},
           Case{R"({"id":"https://a/1","type":"Follow","actor":{"type":"Person"}})",
                as2::DocumentError::missing_actor},
           Case{R"(["not","an","object"])", as2::DocumentError::not_an_object},
       }) {
    INFO(c.json);
    auto doc = as2::parse_json(c.json).value();
    auto env = as2::read_envelope(doc);
    REQUIRE_FALSE(env.has_value());
    CHECK(env.error() == c.error);
    CHECK(kind_of(env.error()) == ErrorKind::invalid_input);
  }
}
