#include "tests/unit/support/catch_result.hpp"
#include "federation/as2/flag.hpp"
#include "federation/as2/reader.hpp"

#include <catch2/catch.hpp>

using namespace civicpub::federation::as2;

TEST_CASE("flag: written in Mastodon's shape") {
  const auto json = flag_json("https://town.example/reports/1", "https://town.example/actor",
                              "spam", {"https://r.example/users/e", "https://r.example/notes/1"});
  auto doc = parse_json(json);
  REQUIRE(doc);
  CHECK(std::string((*doc)["@context"].GetString()) == "https://www.w3.org/ns/activitystreams");
  CHECK(std::string((*doc)["id"].GetString()) == "https://town.example/reports/1");
  CHECK(std::string((*doc)["type"].GetString()) == "Flag");
  CHECK(std::string((*doc)["actor"].GetString()) == "https://town.example/actor");
  CHECK(std::string((*doc)["content"].GetString()) == "spam");
  REQUIRE((*doc)["object"].IsArray());
  REQUIRE((*doc)["object"].Size() == 2);
  CHECK(std::string((*doc)["object"][0].GetString()) == "https://r.example/users/e");
  CHECK(std::string((*doc)["object"][1].GetString()) == "https://r.example/notes/1");
}

TEST_CASE("flag: reading keeps http(s) ids, caps them and cleans the comment") {
  auto doc = parse_json(
      R"j({"id":"https://m.example/1","type":"Flag","actor":"https://m.example/actor",)j"
      R"j("content":"bad\u001b[31m stuff\nsecond line","object":["https://town.example/users/a",)j"
      R"j("javascript:alert(1)",{"id":"https://town.example/notes/1"}]})j");
  REQUIRE(doc);
  auto flag = read_flag(*doc);
  REQUIRE(flag.objects.size() == 2);
  CHECK(flag.objects[0] == "https://town.example/users/a");
  CHECK(flag.objects[1] == "https://town.example/notes/1");
  CHECK(flag.content == "bad [31m stuff\nsecond line");

  auto single = parse_json(R"({"object":"https://town.example/users/a","content":7})");
  REQUIRE(single);
  auto one = read_flag(*single);
  CHECK(one.objects == std::vector<std::string>{"https://town.example/users/a"});
  CHECK(one.content.empty());

  std::string many = R"({"object":[)";
  for (int i = 0; i < 150; ++i) many += (i ? "," : "") + std::string("\"https://x.example/") + std::to_string(i) + "\"";
  many += "]}";
  auto big = parse_json(many);
  REQUIRE(big);
  CHECK(read_flag(*big).objects.size() == kMaxFlagObjects);

  // The cut falls inside the two bytes of the final é: the whole character goes.
  const std::string long_comment(kMaxFlagContent - 1, 'x');
  auto longer = parse_json(R"({"content":")" + long_comment + "\xC3\xA9 more\"}");
  REQUIRE(longer);
  CHECK(read_flag(*longer).content == long_comment);
}
