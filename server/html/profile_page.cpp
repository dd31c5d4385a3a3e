#include "server/html/profile_page.hpp"

#include "server/html/escape.hpp"
#include "server/html/layout.hpp"
#include "server/html/post_fragment.hpp"

namespace civicpub::server::html {
namespace {

// "1,532": the pages are in English, whatever locale the process runs under.
std::string grouped(std::int64_t count) {
  std::string digits = std::to_string(count < 0 ? 0 : count);
  for (auto i = static_cast<std::ptrdiff_t>(digits.size()) - 3; i > 0; i -= 3) {
    digits.insert(static_cast<std::size_t>(i), 1, ',');
  }
  return digits;
}

void append_count(std::string& out, std::int64_t count, std::string_view one,
                  std::string_view many) {
  out += "<li><strong>";
  out += grouped(count);
  out += "</strong> ";
  out += count == 1 ? one : many;
  out += "</li>";
}

void append_intro(std::string& out, const storage::ActorRecord& actor, const AuthorView& author,
                  const ProfileCounts& counts) {
  out += "<h1>";
  append_escaped(out, shown_name(author));
  out += "</h1>\n";
  out += "<p class=\"handle\"><code>";
  append_escaped(out, handle(author));
  out += "</code>";
  if (const auto label = account_type_label(actor.type); !label.empty()) {
    out += " <span class=\"badge\">";
    out += label;
    out += "</span>";
  }
  out += "</p>\n";
  if (!actor.summary_html.empty()) {
    out += "<div class=\"summary\">";
    out += actor.summary_html;  // sanitized by the federation layer
    out += "</div>\n";
  }
  out += "<ul class=\"counts\" aria-label=\"Account statistics\">";
  append_count(out, counts.posts, "post", "posts");
  append_count(out, counts.followers, "follower", "followers");
  append_count(out, counts.following, "following", "following");
  out += "</ul>\n";
}

// Written for someone who has a Mastodon app and has never heard of federation: what to paste,
// where, and what to press. Search is the one path that works in every app we know.
void append_how_to_follow(std::string& out, const storage::ActorRecord& actor,
                          const AuthorView& author) {
  const std::string shown = escape(handle(author));
  out += "<section class=\"box\" aria-labelledby=\"follow-heading\">\n";
  out += "<h2 id=\"follow-heading\">How to follow</h2>\n";
  out +=
      "<p>You can follow this account from Mastodon or any other fediverse app. "
      "You don\u2019t need an account here.</p>\n<ol>\n";
  out += "<li>Copy the handle <code>" + shown + "</code></li>\n";
  out += "<li>Open your app and paste the handle into its search.</li>\n";
  out += "<li>Select the account in the results and press <strong>Follow</strong>.</li>\n";
  out += "</ol>\n<p>New posts will then appear in your home timeline.</p>\n";
  if (actor.type == "Group") {
    out += "<p>This is a group: once you follow it, mention <code>" + shown +
           "</code> in a post to share it with all members.</p>\n";
  }
  if (actor.manually_approves_followers) {
    out +=
        "<p>This account approves followers by hand, so your request may take a while "
        "to be accepted.</p>\n";
  }
  out += "</section>\n";
}

void append_pagination(std::string& out, const Pagination& pages) {
  const std::string_view newer = pages.newer_url ? safe_href(*pages.newer_url) : "";
  const std::string_view older = pages.older_url ? safe_href(*pages.older_url) : "";
  if (newer.empty() && older.empty()) return;
  out += "<nav class=\"pages\" aria-label=\"More posts\">";
  if (!newer.empty()) {
    out += "<a rel=\"prev\" href=\"";
    append_escaped(out, newer);
    out += "\">\u2190 Newer posts</a>";
  }
  if (!older.empty()) {
    out += "<a rel=\"next\" href=\"";
    append_escaped(out, older);
    out += "\">Older posts \u2192</a>";
  }
  out += "</nav>\n";
}

void append_posts(std::string& out, const storage::ActorRecord& actor,
                  const ProfileContent& content) {
  out += "<section aria-labelledby=\"posts-heading\">\n";
  out += "<h2 id=\"posts-heading\">Recent posts</h2>\n";
  if (content.posts.empty()) {
    out += "<p class=\"muted\">No public posts yet.</p>\n";
  } else {
    out += "<ol class=\"posts\">\n";
    for (const PostView& post : content.posts) {
      out += "<li>";
      append_post_article(out, post, {.current = false, .show_author = false});
      out += "</li>\n";
    }
    out += "</ol>\n";
  }
  append_pagination(out, content.pages);
  out += "<p class=\"muted\"><a href=\"";
  append_escaped(out, safe_href(atom_feed_url(actor)));
  out += "\" type=\"application/atom+xml\">Atom feed</a> of these posts</p>\n";
  out += "</section>\n";
}

}  // namespace

std::string atom_feed_url(const storage::ActorRecord& actor) {
  return actor.uri + "/feed.atom";
}

std::string_view account_type_label(std::string_view actor_type) {
  if (actor_type == "Organization") return "Organization";
  if (actor_type == "Person") return "Person";
  if (actor_type == "Service" || actor_type == "Application") return "Bot";
  if (actor_type == "Group") return "Group";
  return {};
}

std::string profile_page(const federation::as2::InstanceInfo& instance,
                         const storage::ActorRecord& actor, const ProfileContent& content) {
  const AuthorView author = author_view(actor);
  PageMeta meta = page_meta(instance, shown_name(author), author.profile_url);
  meta.activity_json_url = actor.uri;
  meta.atom_feed_url = atom_feed_url(actor);
  meta.description = shown_name(author) + " (" + handle(author) + ") on " + meta.instance_name;
  meta.noindex = !actor.discoverable;

  std::string body;
  append_intro(body, actor, author, content.counts);
  append_how_to_follow(body, actor, author);
  append_posts(body, actor, content);
  return page(meta, body);
}

}  // namespace civicpub::server::html
