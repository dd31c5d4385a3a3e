#include "server/views/post_urls.hpp"

#include <catch2/catch.hpp>

using namespace civicpub::server::views;

TEST_CASE("post ids sort by creation time and parse back") {
  std::mt19937_64 rng(42);
  auto early = mint_post_id(1'700'000'000'000, rng);
  auto late = mint_post_id(1'700'000'000'001, rng);
  CHECK(std::stoull(early) < std::stoull(late));
  CHECK(is_post_id(early));
  CHECK_FALSE(is_post_id(""));
  CHECK_FALSE(is_post_id("12a"));
  CHECK_FALSE(is_post_id("123456789012345678901"));
}

TEST_CASE("post URLs hang under the author") {
  auto url = post_url("https://town.example/users/gemeente", "77");
  CHECK(url == "https://town.example/users/gemeente/statuses/77");
  CHECK(create_activity_id(url) == url + "/activity");
  CHECK(delete_activity_id(url) == url + "#delete");
  CHECK(update_activity_id(url, 5) == url + "#updates/5");
  CHECK(replies_url(url) == url + "/replies");
  CHECK(likes_url(url) == url + "/likes");
  CHECK(shares_url(url) == url + "/shares");
  CHECK(context_url(url) == url + "/context");
}
