// Handles and names that other servers chose, on pages and in the Atom feed (issue 11, item 8):
// a preferredUsername "gemeente@town.example" on evil.example must not read as the town's
// account, and bidi, zero-width or control characters never reach a page.
#include "tests/unit/server/html/html_fixtures.hpp"

#include "federation/text/names.hpp"
#include "server/html/atom_feed.hpp"
#include "server/html/post_fragment.hpp"
#include "server/html/post_page.hpp"

#include <vector>

using namespace civicpub;
using namespace civicpub::server::html;
using namespace civicpub::server::html::testing;
namespace text = civicpub::federation::text;

namespace {

AuthorView author(std::string username, std::string display_name = "") {
  AuthorView a;
  a.username = std::move(username);
  a.display_name = std::move(display_name);
  a.domain = "evil.example";
  a.profile_url = "https://evil.example/users/x";
  return a;
}

}  // namespace

TEST_CASE("handles: a username with '@' does not name another server", "[html]") {
  CHECK(handle(author("gemeente@town.example")) == "evil.example");
  CHECK(handle(author("gemeente")) == "@gemeente@evil.example");
  CHECK(handle(author("anna.de-vries_2")) == "@anna.de-vries_2@evil.example");
  CHECK(shown_name(author("gemeente@town.example")) == "evil.example");

  PostView post = sample_post("9", "Reply");
  post.author = author("gemeente@town.example");
  const std::string html = post_page(sample_instance(), ThreadNode{post, {}}, post.id);
  require_complete_document(html);
  CHECK_FALSE(contains(html, "gemeente@town.example"));
  CHECK(contains(html, "<span class=\"handle\">evil.example</span>"));
}

TEST_CASE("handles: bidi, zero-width, control characters and spaces are no username", "[html]") {
  const std::vector<std::string> bad_names = {"anna\xE2\x80\xAE",
                                              "\xE2\x80\x8B"
                                              "anna",
                                              "an\xE2\x81\xA6na",
                                              "an na",
                                              "anna\n",
                                              "",
                                              ".anna",
                                              "anna-",
                                              "\xC3\xA4nna",
                                              std::string(65, 'a'),
                                              "gemeente%40town.example"};
  for (const std::string& bad : bad_names) {
    INFO(bad);
    CHECK(handle(author(bad)) == "evil.example");
  }
  CHECK(text::is_safe_username(std::string(64, 'a')));
}

TEST_CASE("names: display names lose bidi, zero-width and control characters", "[html]") {
  // U+202E (right-to-left override) would show "Anna" followed by reversed text.
  CHECK(shown_name(author("anna", "Anna\xE2\x80\xAEgnp.exe")) == "Annagnp.exe");
  CHECK(shown_name(author("anna", "Ge\xE2\x80\x8Bmeente\xEF\xBB\xBF")) == "Gemeente");
  CHECK(shown_name(author("anna", "  Anna\t\n de\x01 Vries  ")) == "Anna de Vries");
  CHECK(shown_name(author("anna", "\xE2\x81\xA6\xE2\x80\x8F")) == "anna");  // nothing visible left
  CHECK(shown_name(author("anna", "Caf\xC3\xA9 \xF0\x9F\x8C\xB3")) ==
        "Caf\xC3\xA9 \xF0\x9F\x8C\xB3");
  CHECK(text::safe_display_name(std::string(300, 'x')).size() == 100);

  PostView post = sample_post("9", "Reply");
  post.author = author("anna\xE2\x80\xAE", "Anna\xE2\x80\xAE\xE2\x80\x8B");
  const std::string page = post_page(sample_instance(), ThreadNode{post, {}}, post.id);
  CHECK_FALSE(contains(page, "\xE2\x80\xAE"));
  CHECK_FALSE(contains(page, "\xE2\x80\x8B"));
}
