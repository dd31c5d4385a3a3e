// Sample inputs and small string checks shared by the HTML page tests.
#pragma once

#include "federation/as2/instance_info.hpp"
#include "server/html/post_view.hpp"
#include "storage/records.hpp"
#include "tests/unit/support/records.hpp"

#include <catch2/catch.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace civicpub::server::html::testing {

inline federation::as2::InstanceInfo sample_instance() {
  federation::as2::InstanceInfo instance;
  instance.base_url = "https://town.example";
  instance.host = "town.example";
  instance.name = "Town of Example";
  instance.description = "The official fediverse server of the Town of Example.";
  instance.admin_contact = "webmaster@town.example";
  return instance;
}

// The test world's local account (test::local_actor) as the pages show City Hall.
inline storage::ActorRecord sample_actor() {
  auto actor = test::local_actor("cityhall");
  actor.id = 1;
  actor.type = "Organization";
  actor.display_name = "City Hall";
  actor.summary_html = "<p>News from the <strong>Town of Example</strong>.</p>";
  return actor;
}

inline PostView sample_post(std::string id_suffix, std::string text) {
  PostView post;
  post.id = "https://town.example/users/cityhall/statuses/" + id_suffix;
  post.url = "https://town.example/@cityhall/" + id_suffix;
  post.author = author_view(sample_actor());
  post.content_html = "<p>" + text + "</p>";
  post.published = 1795372364123;  // 2026-11-22T18:32:44.123Z
  post.language = "en";
  return post;
}

inline std::size_t count(std::string_view haystack, std::string_view needle) {
  std::size_t n = 0;
  for (auto pos = haystack.find(needle); pos != std::string_view::npos;
       pos = haystack.find(needle, pos + needle.size())) {
    ++n;
  }
  return n;
}

inline bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

// The shape every page must have: one document, one <main>, one <h1>, a language, no script.
inline void require_complete_document(const std::string& html) {
  REQUIRE(html.rfind("<!DOCTYPE html>\n<html lang=\"", 0) == 0);
  CHECK(count(html, "<main") == 1);
  CHECK(count(html, "</main>") == 1);
  CHECK(count(html, "<h1") == 1);
  CHECK(count(html, "<title>") == 1);
  CHECK(contains(html, "<meta charset=\"utf-8\">"));
  CHECK(contains(html, "name=\"viewport\""));
  CHECK_FALSE(contains(html, "<script"));
  CHECK(html.size() >= 8);
  CHECK(html.substr(html.size() - 8) == "</html>\n");
}

}  // namespace civicpub::server::html::testing
