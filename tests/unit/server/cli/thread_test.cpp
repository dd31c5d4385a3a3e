#include "tests/unit/server/routes/routes_fixtures.hpp"

#include "federation/as2/time_format.hpp"
#include "server/views/error.hpp"
#include "server/cli/thread.hpp"

#include <rapidjson/document.h>

#include <set>
#include <sstream>

using namespace civicpub;
using namespace civicpub::server::routes::testing;
using civicpub::server::FetchPost;
using civicpub::server::load_admin_thread;
using civicpub::server::thread_json;
using civicpub::server::thread_text;

namespace {

// town/1 <- peer a <- town 2 (followers-only) <- peer deep;  town/1 <- town 3 (deleted)
struct Admin {
  ReadWorld world;
  storage::ActorRecord town = world.add_actor("town");
  storage::ActorRecord bob = world.add_remote("peer.example", "bob");
  storage::PostRecord root = world.add_post(town, "1", kNow);
  storage::PostRecord a = world.add_reply(bob, root, "a", kNow + 1000);
  storage::PostRecord b =
      world.add_reply(town, a, "2", kNow + 2000, storage::Visibility::followers);
  storage::PostRecord deep = world.add_reply(bob, b, "deep", kNow + 3000);
  storage::PostRecord c = world.add_reply(town, root, "3", kNow + 4000);
  Admin() { world.delete_post(c); }
};

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

}  // namespace

TEST_CASE("cli thread: ancestors, the post and its replies, indented, all visibilities") {
  Admin t;
  std::ostringstream err;
  auto thread = load_admin_thread(t.world.db(), FetchPost{}, t.a.ap_id, err);
  REQUIRE(thread);
  CHECK(err.str().empty());
  const auto lines = lines_of(thread_text(*thread));
  REQUIRE(lines.size() == 4);
  CHECK(lines[0].rfind("  @town@social.town.example  ", 0) == 0);
  CHECK(lines[0].find("public  Post 1  " + t.root.ap_id) != std::string::npos);
  CHECK(lines[1].rfind(">   @bob@peer.example  ", 0) == 0);  // the post asked for, one level in
  CHECK(lines[1].find("Reply a") != std::string::npos);
  CHECK(lines[2].rfind("      @town@social.town.example", 0) == 0);
  CHECK(lines[2].find("followers  Reply 2") != std::string::npos);
  CHECK(lines[3].rfind("        @bob@peer.example", 0) == 0);
  CHECK(lines[3].find(federation::as2::format_iso8601_ms(kNow + 3000)) != std::string::npos);
}

TEST_CASE("cli thread: deleted posts in the middle keep the shape - a page URL finds the post") {
  Admin t;
  std::ostringstream err;
  auto thread = load_admin_thread(t.world.db(), FetchPost{}, t.root.url, err);
  REQUIRE(thread);
  const std::string text = thread_text(*thread);
  // Deleted leaves are dropped even for the admin, deleted posts with replies stay.
  CHECK(text.find(t.c.ap_id) == std::string::npos);
  auto gone = t.world.add_reply(t.town, t.c, "4", kNow + 5000);
  thread = load_admin_thread(t.world.db(), FetchPost{}, t.root.url, err);
  REQUIRE(thread);
  const auto lines = lines_of(thread_text(*thread));
  REQUIRE(lines.size() == 6);
  CHECK(lines[0].rfind("> @town", 0) == 0);
  CHECK(lines[4] == "    [deleted]  " + t.c.ap_id);
  CHECK(lines[5].find("Reply 4") != std::string::npos);
  CHECK(lines[5].rfind("      @town", 0) == 0);
  (void)gone;
}

TEST_CASE("cli thread: --json is an array in thread order with null in_reply_to at the root") {
  Admin t;
  std::ostringstream err;
  auto thread = load_admin_thread(t.world.db(), FetchPost{}, t.b.ap_id, err);
  REQUIRE(thread);
  rapidjson::Document doc;
  const std::string json = thread_json(*thread);
  doc.Parse(json.c_str());
  REQUIRE_FALSE(doc.HasParseError());
  REQUIRE(doc.IsArray());
  REQUIRE(doc.Size() == 4);
  CHECK(str(doc[0], "id") == t.root.ap_id);
  CHECK(doc[0]["in_reply_to"].IsNull());
  CHECK(str(doc[0], "author") == t.town.uri);
  CHECK(str(doc[1], "id") == t.a.ap_id);
  CHECK(str(doc[1], "in_reply_to") == t.root.ap_id);
  CHECK(str(doc[1], "author") == t.bob.uri);
  CHECK(str(doc[2], "id") == t.b.ap_id);
  CHECK(str(doc[2], "visibility") == "followers");
  CHECK(str(doc[2], "content") == "<p>Reply 2</p>");
  CHECK(str(doc[3], "id") == t.deep.ap_id);
  CHECK(str(doc[3], "published") == federation::as2::format_iso8601_ms(kNow + 3000));
}

TEST_CASE("cli thread: an unknown post is fetched when a fetcher is given, else one line") {
  Admin t;
  std::ostringstream err;
  CHECK_FALSE(load_admin_thread(t.world.db(), FetchPost{}, "https://peer.example/x", err));
  CHECK(err.str() == "thread: no post https://peer.example/x is stored here\n");

  err.str("");
  FetchPost failing = [](const std::string&) -> Result<storage::PostRecord> {
    return make_error_code(server::views::ViewError::not_found);
  };
  CHECK_FALSE(load_admin_thread(t.world.db(), failing, "https://peer.example/x", err));
  CHECK(err.str() ==
        "thread: no post https://peer.example/x is stored here and fetching it failed: not "
        "found\n");

  // A fetcher that stores the post (as the real one does) and returns it.
  std::vector<std::string> asked;
  FetchPost storing = [&](const std::string& uri) -> Result<storage::PostRecord> {
    asked.push_back(uri);
    return t.world.add_reply(t.bob, t.a, "fetched", kNow + 9000);
  };
  err.str("");
  auto thread = load_admin_thread(t.world.db(), storing, "https://peer.example/@bob/fetched", err);
  REQUIRE(thread);
  CHECK(err.str().empty());
  CHECK(asked == std::vector<std::string>{"https://peer.example/@bob/fetched"});
  CHECK(thread->ancestors.size() == 2);
  CHECK(thread->tree.at(thread->focus).post.content_html == "<p>Reply fetched</p>");
}

// A post a group's moderator removed (hidden by moderation, not deleted by its author) is named
// so for the admin; its author's server still has it (issue 12, point 7).
TEST_CASE("cli thread: a post hidden by moderation is listed as removed, not as deleted") {
  Admin t;
  std::ostringstream err;
  t.world.add_reply(t.town, t.c, "4", kNow + 5000);
  auto thread = load_admin_thread(t.world.db(), FetchPost{}, t.root.url, err);
  REQUIRE(thread);
  const std::set<std::string> hidden{t.c.ap_id};
  const auto lines = lines_of(thread_text(*thread, hidden));
  REQUIRE(lines.size() == 6);
  CHECK(lines[4] == "    [removed by moderation]  " + t.c.ap_id);
  const std::string json = thread_json(*thread, hidden);
  CHECK(json.find("\"id\":\"" + t.c.ap_id + "\"") != std::string::npos);
  CHECK(json.find("\"removed\":true") != std::string::npos);
  CHECK(thread_json(*thread).find("\"removed\":true") == std::string::npos);
  // The author's own deletion is no moderation.
  CHECK(civicpub::server::hidden_posts(t.world.db(), *thread).empty());
}
