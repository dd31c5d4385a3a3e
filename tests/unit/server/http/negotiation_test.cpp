#include "server/http/negotiation.hpp"

#include <catch2/catch.hpp>

using civicpub::server::http::wants_activity_json;
using civicpub::server::http::wants_json;

TEST_CASE("ActivityPub servers' Accept headers ask for AS2") {
  // Mastodon (FetchResourceService / JsonLdHelper), Fedify's document loader, GNU social, the
  // spec's own form, and variations of spacing, quoting and parameter order.
  for (
      const char* accept : {
          R"(application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams", text/html;q=0.1)",
          "application/activity+json, application/ld+json",
          R"(application/ld+json; profile="https://www.w3.org/ns/activitystreams", application/activity+json, application/json)",
          R"(application/ld+json; profile="https://www.w3.org/ns/activitystreams")",
          R"(application/ld+json;profile="https://www.w3.org/ns/activitystreams")",
          "application/ld+json; profile=https://www.w3.org/ns/activitystreams",
          R"(application/ld+json ; charset=utf-8 ; profile = "https://www.w3.org/ns/activitystreams")",
          R"(application/ld+json; profile="https://www.w3.org/ns/activitystreams https://example.org/x")",
          "application/activity+json",
          "APPLICATION/ACTIVITY+JSON",
          "text/html;q=0.5, application/activity+json;q=0.5",
      }) {
    INFO(accept);
    CHECK(wants_activity_json(accept));
  }
}

TEST_CASE("browsers' and generic Accept headers do not get AS2") {
  for (const char* accept : {
           // Firefox, Chrome, Safari
           "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
           "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/"
           "apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7",
           "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
           "*/*",  // curl
           "",
           "application/json",
           "text/html, application/activity+json;q=0.9",
           "application/activity+json;q=0",
           R"(application/ld+json; profile="https://example.org/other")",
           "application/activity+jsonx",
       }) {
    INFO(accept);
    CHECK_FALSE(wants_activity_json(accept));
  }
}

TEST_CASE("wants_json follows application/json and its weight against HTML") {
  CHECK(wants_json("application/json"));
  CHECK(wants_json("application/json, text/plain, */*"));  // axios and many API clients
  CHECK(wants_json("text/html;q=0.5, application/json"));
  CHECK_FALSE(wants_json("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"));
  CHECK_FALSE(wants_json("application/json;q=0"));
  CHECK_FALSE(wants_json("*/*"));
  CHECK_FALSE(wants_json("text/html, application/json;q=0.9"));
}
