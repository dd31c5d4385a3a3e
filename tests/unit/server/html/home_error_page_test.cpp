#include "server/html/error_page.hpp"
#include "server/html/home_page.hpp"

#include "tests/unit/server/html/html_fixtures.hpp"

#include <vector>

using namespace civicpub::server::html;
using namespace civicpub::server::html::testing;

TEST_CASE("home page shows name, description, accounts and admin contact", "[html]") {
  auto group = sample_actor();
  group.type = "Group";
  group.username = "garden";
  group.display_name = "Community <Garden>";
  group.url = "https://town.example/@garden";
  const std::vector<civicpub::storage::ActorRecord> accounts = {sample_actor(), group};
  const std::string html = home_page(sample_instance(), accounts);

  require_complete_document(html);
  CHECK(contains(html, "<title>Town of Example</title>"));
  CHECK(contains(html, "<h1>Town of Example</h1>"));
  CHECK(contains(html, "The official fediverse server of the Town of Example."));
  CHECK(contains(html, "<a href=\"https://town.example/@cityhall\">City Hall</a>"));
  CHECK(contains(html, "<a href=\"https://town.example/@garden\">Community &lt;Garden&gt;</a>"));
  CHECK(contains(html, "@garden@town.example"));
  CHECK(contains(html, "<span class=\"badge\">Group</span>"));
  CHECK(html.find("City Hall</a>") < html.find("Community &lt;Garden"));
  CHECK(contains(html, "<section id=\"about\""));
  CHECK(contains(html, "<a href=\"mailto:webmaster@town.example\">webmaster@town.example</a>"));
}

TEST_CASE("home page admin contact as web address, as text, or absent", "[html]") {
  auto instance = sample_instance();
  instance.admin_contact = "https://town.example/contact";
  CHECK(contains(home_page(instance, {}),
                 "<a href=\"https://town.example/contact\">https://town.example/contact</a>"));

  instance.admin_contact = "Town hall, room 3 <front desk>";
  std::string html = home_page(instance, {});
  CHECK(contains(html, "Town hall, room 3 &lt;front desk&gt;"));
  CHECK_FALSE(contains(html, "mailto:"));

  instance.admin_contact = "javascript:alert(1)";
  html = home_page(instance, {});
  CHECK_FALSE(contains(html, "href=\"javascript:"));

  instance.admin_contact.clear();
  html = home_page(instance, {});
  CHECK_FALSE(contains(html, "Contact the people"));
  CHECK(contains(html, "No public accounts yet."));
}

TEST_CASE("home page escapes the instance name and description", "[html]") {
  auto instance = sample_instance();
  instance.name = "<script>alert(1)</script>";
  instance.description = "A & B";
  const std::string html = home_page(instance, {});
  require_complete_document(html);
  CHECK_FALSE(contains(html, "<script>alert(1)</script>"));
  CHECK(contains(html, "<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>"));
  CHECK(contains(html, "A &amp; B"));
}

TEST_CASE("error pages for 404, 410 and anything else", "[html]") {
  const std::string not_found = error_page(sample_instance(), 404);
  require_complete_document(not_found);
  CHECK(contains(not_found, "<h1>Page not found</h1>"));
  CHECK(contains(not_found, "<title>Page not found \u00b7 Town of Example</title>"));
  CHECK(contains(not_found, "content=\"noindex\""));
  CHECK(contains(not_found, "<a href=\"https://town.example/\">Go to the front page"));

  const std::string gone = error_page(sample_instance(), 410);
  require_complete_document(gone);
  CHECK(contains(gone, "<h1>This is gone</h1>"));
  CHECK(contains(gone, "deleted"));

  const std::string other = error_page(sample_instance(), 500);
  require_complete_document(other);
  CHECK(contains(other, "<h1>Something went wrong</h1>"));
}
