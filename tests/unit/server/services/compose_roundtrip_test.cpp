// What we compose must survive what we (and peers with the same allow-list) sanitize.
#include "server/services/compose.hpp"
#include "federation/text/sanitizer.hpp"

#include <catch2/catch.hpp>

namespace text = civicpub::federation::text;
namespace services = civicpub::server::services;

TEST_CASE("composed HTML passes the sanitizer with only link attributes normalized") {
  services::ComposeOptions o;
  o.local_domain = "civic.example";
  o.base_url = "https://civic.example";
  o.resolve_mention = [](const services::MentionRef&) -> std::optional<services::MentionTarget> {
    return services::MentionTarget{"https://x.example/users/a", "https://x.example/@a"};
  };
  const auto c = services::compose_plain_text(
      "Hello @a@x.example <b>!\n\n#Civic https://example.com/a/very/long/path/over/thirty", o);
  std::string expected = c.html;
  // The sanitizer drops target and adds rel to every link; nothing else changes.
  for (std::size_t at; (at = expected.find(" target=\"_blank\"")) != std::string::npos;) {
    expected.erase(at, 16);
  }
  const std::string mention_link = "class=\"u-url mention\"";
  expected.insert(expected.find(mention_link) + mention_link.size(),
                  " rel=\"nofollow noopener noreferrer\"");
  const std::string tag_rel = "rel=\"tag\"";
  expected.replace(expected.find(tag_rel), tag_rel.size(),
                   "rel=\"nofollow noopener noreferrer tag\"");
  CHECK(text::sanitize_html(c.html) == expected);
  CHECK(text::html_to_plain_text(c.html) ==
        "Hello @a <b>!\n\n#Civic https://example.com/a/very/long/path/over/thirty");
}
