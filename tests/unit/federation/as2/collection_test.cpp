#include "federation/as2/collection.hpp"
#include "tests/unit/support/json.hpp"

#include <rapidjson/document.h>
#include <catch2/catch.hpp>

namespace as2 = civicpub::federation::as2;

using civicpub::test::parse;
using civicpub::test::str;

namespace {

const std::string kFollowers = "https://town.example/users/council/followers";

}  // namespace

TEST_CASE("paging math") {
  CHECK(as2::page_count(0, 20) == 1);
  CHECK(as2::page_count(1, 20) == 1);
  CHECK(as2::page_count(20, 20) == 1);
  CHECK(as2::page_count(21, 20) == 2);
  CHECK(as2::page_count(41, 20) == 3);
  CHECK(as2::page_count(5, 0) == 5);  // a zero page size is treated as 1, never a division by 0
  CHECK(as2::page_offset(1, 20) == 0);
  CHECK(as2::page_offset(3, 20) == 40);
  CHECK(as2::page_url(kFollowers, 2) == kFollowers + "?page=2");
  CHECK(as2::parse_page_number("1") == 1u);
  CHECK(as2::parse_page_number("17") == 17u);
  for (const char* bad : {"", "0", "01", "-1", "+1", "1a", "abc", "1234567890"}) {
    INFO(bad);
    CHECK_FALSE(as2::parse_page_number(bad));
  }
}

TEST_CASE("ordered collection links its first and last pages") {
  const auto doc = parse(as2::render_ordered_collection({kFollowers, 45, 20, ""}));
  CHECK(str(doc["id"]) == kFollowers);
  CHECK(str(doc["type"]) == "OrderedCollection");
  CHECK(doc["totalItems"].GetUint64() == 45);
  CHECK(str(doc["first"]) == kFollowers + "?page=1");
  CHECK(str(doc["last"]) == kFollowers + "?page=3");
  CHECK_FALSE(doc.HasMember("attributedTo"));
  CHECK_FALSE(doc.HasMember("orderedItems"));

  const auto ctx = parse(as2::render_ordered_collection(
      {"https://town.example/contexts/9", 0, 20, "https://town.example/users/council"}));
  CHECK(str(ctx["attributedTo"]) == "https://town.example/users/council");
  CHECK(str(ctx["last"]) == "https://town.example/contexts/9?page=1");
}

TEST_CASE("collection pages link prev and next only where they exist") {
  as2::CollectionPageView view{kFollowers, 1, 45, 20, {"https://a.example/u/1"}, false};
  auto doc = parse(as2::render_ordered_collection_page(view));
  CHECK(str(doc["id"]) == kFollowers + "?page=1");
  CHECK(str(doc["type"]) == "OrderedCollectionPage");
  CHECK(str(doc["partOf"]) == kFollowers);
  CHECK_FALSE(doc.HasMember("prev"));
  CHECK(str(doc["next"]) == kFollowers + "?page=2");
  CHECK(str(doc["orderedItems"][0]) == "https://a.example/u/1");

  view.page = 2;
  doc = parse(as2::render_ordered_collection_page(view));
  CHECK(str(doc["prev"]) == kFollowers + "?page=1");
  CHECK(str(doc["next"]) == kFollowers + "?page=3");

  view.page = 3;
  doc = parse(as2::render_ordered_collection_page(view));
  CHECK(str(doc["prev"]) == kFollowers + "?page=2");
  CHECK_FALSE(doc.HasMember("next"));
}

TEST_CASE("collection pages embed rendered JSON items") {
  as2::CollectionPageView view{"https://town.example/users/council/outbox",
                               1,
                               2,
                               20,
                               {R"({"id":"https://town.example/a/1","type":"Create"})",
                                R"({"id":"https://town.example/a/2","type":"Create"})"},
                               true};
  const auto doc = parse(as2::render_ordered_collection_page(view));
  REQUIRE(doc["orderedItems"].Size() == 2);
  CHECK(str(doc["orderedItems"][1]["id"]) == "https://town.example/a/2");
  CHECK(str(doc["orderedItems"][1]["type"]) == "Create");
}

TEST_CASE("a counted collection has totalItems and no items (likes, shares)") {
  const std::string likes = "https://town.example/users/council/statuses/1/likes";
  auto doc = parse(as2::render_counted_collection(likes, 3));
  CHECK(str(doc["id"]) == likes);
  CHECK(str(doc["type"]) == "Collection");
  CHECK(doc["totalItems"].GetUint64() == 3);
  CHECK(doc.HasMember("@context"));
  CHECK_FALSE(doc.HasMember("items"));
  CHECK_FALSE(doc.HasMember("first"));
}
