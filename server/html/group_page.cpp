#include "server/html/group_page.hpp"

#include "server/html/atom_feed.hpp"
#include "server/html/escape.hpp"
#include "server/html/layout.hpp"
#include "server/html/post_fragment.hpp"
#include "server/html/post_page.hpp"
#include "server/html/time_text.hpp"

namespace civicpub::server::html {
namespace {

void append_link(std::string& out, std::string_view href, std::string_view text) {
  const std::string_view safe = safe_href(href);
  if (safe.empty()) {
    append_escaped(out, text);
    return;
  }
  out += "<a href=\"";
  append_escaped(out, safe);
  out += "\">";
  append_escaped(out, text);
  out += "</a>";
}

void append_intro(std::string& out, const storage::ActorRecord& group, const AuthorView& author,
                  const GroupPageContent& content) {
  out += "<h1>";
  append_escaped(out, shown_name(author));
  out += "</h1>\n<p class=\"handle\"><code>";
  append_escaped(out, handle(author));
  out += "</code> <span class=\"badge\">Group</span></p>\n";
  if (!group.summary_html.empty()) {
    out += "<div class=\"summary\">";
    out += group.summary_html;  // sanitized by the federation layer
    out += "</div>\n";
  }
  out += "<ul class=\"counts\" aria-label=\"Group statistics\"><li><strong>";
  out += std::to_string(content.members);
  out += content.members == 1 ? "</strong> member</li><li><strong>"
                              : "</strong> members</li><li><strong>";
  out += std::to_string(content.threads);
  out += content.threads == 1 ? "</strong> thread</li></ul>\n" : "</strong> threads</li></ul>\n";
}

void append_moderators(std::string& out, const std::vector<AuthorView>& moderators) {
  out += "<section aria-labelledby=\"moderators-heading\">\n";
  out += "<h2 id=\"moderators-heading\">Moderators</h2>\n";
  if (moderators.empty()) {
    out += "<p class=\"muted\">This group has no moderators.</p>\n</section>\n";
    return;
  }
  out += "<ul class=\"accounts\">\n";
  for (const AuthorView& mod : moderators) {
    out += "<li>";
    append_link(out, mod.profile_url, shown_name(mod));
    out += " <code>";
    append_escaped(out, handle(mod));
    out += "</code></li>\n";
  }
  out += "</ul>\n</section>\n";
}

// Mastodon has no groups: its users follow the group and mention it. Lemmy (and PieFed, Mbin)
// see the group as a community, found by searching !name@domain.
void append_how_to_join(std::string& out, const AuthorView& author) {
  const std::string shown = escape(handle(author));
  const std::string community = escape("!" + author.username + "@" + author.domain);
  out += "<section class=\"box\" aria-labelledby=\"join-heading\">\n";
  out += "<h2 id=\"join-heading\">How to join</h2>\n";
  out += "<h3>From Mastodon or another fediverse app</h3>\n<ol>\n";
  out += "<li>Paste <code>" + shown + "</code> into your app\u2019s search.</li>\n";
  out += "<li>Select the group and press <strong>Follow</strong>: you are now a member.</li>\n";
  out += "<li>To start a thread, write a post that mentions <code>" + shown +
         "</code>. Replies to the group\u2019s threads reach every member.</li>\n</ol>\n";
  out += "<h3>From Lemmy, PieFed or Mbin</h3>\n<ol>\n";
  out += "<li>Search for the community <code>" + community + "</code>.</li>\n";
  out += "<li>Press <strong>Subscribe</strong>, then post and comment as in any community.</li>\n";
  out += "</ol>\n</section>\n";
}

void append_thread_item(std::string& out, const GroupThreadItem& item, std::size_t index) {
  out += "<li><article class=\"post\" aria-labelledby=\"";
  const std::string anchor = "thread-" + std::to_string(index + 1);
  out += anchor;
  out += "\">\n<h3 id=\"" + anchor + "\">";
  append_link(out, item.root.url, entry_title(item.root));
  out += "</h3>\n<p class=\"muted\">";
  if (item.featured) out += "<span class=\"badge\">Featured</span> ";
  if (item.locked) out += "<span class=\"badge\">Locked</span> ";
  out += "Started by ";
  append_escaped(out, shown_name(item.root.author));
  out += " \u00b7 ";
  out += reply_count_text(item.replies);
  out += " \u00b7 last activity ";
  out += time_element(item.last_activity);
  out += "</p>\n</article></li>\n";
}

void append_threads(std::string& out, const storage::ActorRecord& group,
                    const GroupPageContent& content) {
  out += "<section aria-labelledby=\"threads-heading\">\n";
  out += "<h2 id=\"threads-heading\">Threads</h2>\n";
  if (content.items.empty()) {
    out += "<p class=\"muted\">No threads yet.</p>\n";
  } else {
    out += "<ol class=\"posts\">\n";
    for (std::size_t i = 0; i < content.items.size(); ++i) {
      append_thread_item(out, content.items[i], i);
    }
    out += "</ol>\n";
  }
  const std::string_view newer = content.pages.newer_url ? safe_href(*content.pages.newer_url) : "";
  const std::string_view older = content.pages.older_url ? safe_href(*content.pages.older_url) : "";
  if (!newer.empty() || !older.empty()) {
    out += "<nav class=\"pages\" aria-label=\"More threads\">";
    if (!newer.empty()) out += "<a rel=\"prev\" href=\"" + escape(newer) + "\">\u2190 Newer</a>";
    if (!older.empty()) out += "<a rel=\"next\" href=\"" + escape(older) + "\">Older \u2192</a>";
    out += "</nav>\n";
  }
  out += "<p class=\"muted\"><a href=\"";
  append_escaped(out, safe_href(atom_feed_url(group)));
  out += "\" type=\"application/atom+xml\">Atom feed</a> of new threads</p>\n</section>\n";
}

}  // namespace

std::string group_page(const federation::as2::InstanceInfo& instance,
                       const storage::ActorRecord& group, const GroupPageContent& content) {
  const AuthorView author = author_view(group);
  PageMeta meta = page_meta(instance, shown_name(author), author.profile_url);
  meta.activity_json_url = group.uri;
  meta.atom_feed_url = atom_feed_url(group);
  meta.description =
      shown_name(author) + " (" + handle(author) + "), a group on " + meta.instance_name;
  meta.noindex = !group.discoverable;
  std::string body;
  append_intro(body, group, author, content);
  append_how_to_join(body, author);
  append_threads(body, group, content);
  append_moderators(body, content.moderators);
  return page(meta, body);
}

std::string group_thread_feed_url(std::string_view context) {
  return std::string(context) + "/feed.atom";
}

std::string group_thread_page(const federation::as2::InstanceInfo& instance,
                              const storage::ActorRecord& group,
                              const GroupThreadContent& content) {
  const AuthorView author = author_view(group);
  const PostView& top = content.root.post;
  const std::string heading =
      top.deleted || top.withheld ? "Thread in " + shown_name(author) : entry_title(top);
  PageMeta meta = page_meta(instance, heading, content.page_url);
  meta.activity_json_url = content.page_url;
  meta.atom_feed_url = group_thread_feed_url(content.page_url);
  std::string body = "<h1>";
  append_escaped(body, heading);
  body += "</h1>\n<p>In the group ";
  append_link(body, author.profile_url, shown_name(author));
  body += " <code>";
  append_escaped(body, handle(author));
  body += "</code></p>\n";
  if (content.locked) {
    body +=
        "<p class=\"state\">This thread is locked: the group no longer shares new replies.</p>\n";
  }
  append_post_article(body, top, {.current = true});
  body += "<section aria-labelledby=\"replies-heading\">\n";
  body += "<h2 id=\"replies-heading\">Replies</h2>\n";
  if (content.root.replies.empty()) body += "<p class=\"muted\">No replies yet.</p>\n";
  append_thread_replies(body, content.root.replies, top.id);
  body += "<p class=\"muted\"><a href=\"";
  append_escaped(body, safe_href(meta.atom_feed_url.value_or("")));
  body += "\" type=\"application/atom+xml\">Atom feed</a> of this thread</p>\n</section>\n";
  return page(meta, body);
}

}  // namespace civicpub::server::html
