#include "server/html/post_fragment.hpp"

#include "server/html/escape.hpp"
#include "server/html/time_text.hpp"

#include "federation/text/names.hpp"

namespace civicpub::server::html {
namespace {

void append_link_or_text(std::string& out, std::string_view href, std::string_view css_class,
                         std::string_view text) {
  const std::string_view safe = safe_href(href);
  if (safe.empty()) {
    out += "<span class=\"";
    out += css_class;
    out += "\">";
    append_escaped(out, text);
    out += "</span>";
    return;
  }
  out += "<a class=\"";
  out += css_class;
  out += "\" href=\"";
  append_escaped(out, safe);
  out += "\">";
  append_escaped(out, text);
  out += "</a>";
}

void append_author(std::string& out, const AuthorView& author) {
  out += "<header>";
  append_link_or_text(out, author.profile_url, "name", shown_name(author));
  // The handle carries the author's home server, which is what tells a resident whether a
  // reply came from a neighbour on this instance or from somewhere else in the fediverse.
  out += " <span class=\"handle\">";
  append_escaped(out, handle(author));
  out += "</span></header>\n";
}

void append_content(std::string& out, const PostView& post) {
  if (!post.title.empty()) {
    // An Article or Page: its title first, as Mastodon shows them. Not a heading: the page's
    // outline is the thread's, and a reply tree of headings would drown it.
    out += "<p class=\"title\"><strong>";
    append_escaped(out, post.title);
    out += "</strong></p>\n";
  }
  const bool folded = post.content_warning && !post.content_warning->empty();
  if (folded) {
    out += "<details><summary>";
    append_escaped(out, *post.content_warning);
    out += " <span class=\"hint\">(show post)</span></summary>\n";
  }
  out += "<div class=\"content\"";
  if (!post.language.empty()) {
    out += " lang=\"";
    append_escaped(out, post.language);
    out += '"';
  }
  out += ">";
  out += post.content_html;  // sanitized by the federation layer
  out += "</div>\n";
  if (!post.poll.empty()) {
    // Another server's poll: its counts as its last Question or Update(Question) gave them.
    out += "<ul class=\"poll\" aria-label=\"";
    out += post.poll_closed ? "Poll results (closed)" : "Poll (vote from your own server)";
    out += "\">\n";
    for (const auto& option : post.poll) {
      out += "<li>";
      append_escaped(out, option.name);
      out += ": " + count_text(option.votes, "vote", "votes") + "</li>\n";
    }
    out += "</ul>\n";
  }
  if (folded) out += "</details>\n";
}

void append_footer(std::string& out, const PostView& post) {
  out += "<footer>";
  const std::string_view url = safe_href(post.url);
  if (!url.empty()) {
    out += "<a href=\"";
    append_escaped(out, url);
    out += "\" title=\"Open this post\">";
    out += time_element(post.published);
    out += "</a>";
  } else {
    out += time_element(post.published);
  }
  if (post.updated) out += " \u00b7 edited";
  out += " \u00b7 ";
  out += reply_count_text(post.reply_count);
  if (post.like_count > 0) out += " \u00b7 " + count_text(post.like_count, "like", "likes");
  if (post.share_count > 0) out += " \u00b7 " + count_text(post.share_count, "share", "shares");
  if (const std::string_view original = safe_href(post.original_url); !original.empty()) {
    out += " \u00b7 <a href=\"";
    append_escaped(out, original);
    out += "\" rel=\"nofollow noopener\">Original on ";
    append_escaped(out, post.author.domain);
    out += "</a>";
  }
  out += "</footer>\n";
}

}  // namespace

std::string handle(const AuthorView& author) {
  return federation::text::shown_handle(author.username, author.domain);
}

std::string shown_name(const AuthorView& author) {
  std::string name = federation::text::safe_display_name(author.display_name);
  if (!name.empty()) return name;
  if (federation::text::is_safe_username(author.username)) return author.username;
  return author.domain;
}

std::string count_text(std::int64_t count, std::string_view one, std::string_view many) {
  return std::to_string(count < 0 ? 0 : count) + " " + std::string(count == 1 ? one : many);
}

std::string reply_count_text(std::int64_t count) {
  if (count <= 0) return "No replies";
  if (count == 1) return "1 reply";
  return std::to_string(count) + " replies";
}

void append_post_article(std::string& out, const PostView& post, const ArticleOptions& options) {
  const bool placeholder = post.deleted || post.withheld;
  out += "<article class=\"post";
  if (placeholder) out += " deleted";
  out += '"';
  if (options.current) out += " id=\"current\" aria-current=\"true\"";
  out += ">\n";
  if (placeholder) {
    // A tombstone (or a post strangers may not read) keeps its place so the replies below it
    // still make sense; its author and text are left out on purpose.
    out += post.withheld ? "<p>This post is not public.</p>\n</article>\n"
                         : "<p>This post was deleted.</p>\n</article>\n";
    return;
  }
  if (options.show_author) append_author(out, post.author);
  append_content(out, post);
  append_footer(out, post);
  out += "</article>\n";
}

}  // namespace civicpub::server::html
