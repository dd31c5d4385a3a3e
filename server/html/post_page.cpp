#include "server/html/post_page.hpp"

#include "server/html/escape.hpp"
#include "server/html/layout.hpp"
#include "server/html/post_fragment.hpp"

namespace civicpub::server::html {
namespace {

const PostView* find_post(const ThreadNode& node, std::string_view id, std::size_t depth) {
  if (node.post.id == id) return &node.post;
  if (depth >= kMaxThreadDepth) return nullptr;
  for (const ThreadNode& reply : node.replies) {
    if (const PostView* found = find_post(reply, id, depth + 1)) return found;
  }
  return nullptr;
}

void append_continue_link(std::string& out, const ThreadNode& first_hidden) {
  out += "<p class=\"more\">";
  const std::string_view href = safe_href(first_hidden.post.url);
  if (href.empty()) {
    out += "More replies are not shown here.</p>\n";
    return;
  }
  out += "<a href=\"";
  append_escaped(out, href);
  out += "\">Continue this thread \u2192</a></p>\n";
}

// `level` counts reply lists from the root: 1 holds the direct replies to the root. Lists below
// kMaxIndentDepth keep their nesting in the markup (screen readers announce the levels) but
// get the "flat" class that drops the indentation.
void append_replies(std::string& out, const std::vector<ThreadNode>& replies,
                    std::string_view current_id, std::size_t level) {
  if (replies.empty()) return;
  if (level > kMaxThreadDepth) {
    append_continue_link(out, replies.front());
    return;
  }
  out += "<ol class=\"replies";
  if (level > kMaxIndentDepth + 1) out += " flat";
  out += "\">\n";
  for (const ThreadNode& reply : replies) {
    out += "<li>";
    append_post_article(out, reply.post, {.current = reply.post.id == current_id});
    append_replies(out, reply.replies, current_id, level + 1);
    out += "</li>\n";
  }
  out += "</ol>\n";
}

std::string heading_for(const PostView& current) {
  if (current.deleted) return "Deleted post";
  if (current.withheld) return "Post";
  // A Page or Article (Lemmy's posts) has a title: the page is about it.
  if (!current.title.empty()) return current.title;
  return "Post by " + shown_name(current.author);
}

}  // namespace

void append_thread_replies(std::string& out, const std::vector<ThreadNode>& replies,
                           std::string_view current_id) {
  append_replies(out, replies, current_id, 1);
}

std::string post_page(const federation::as2::InstanceInfo& instance, const ThreadNode& root,
                      std::string_view current_id) {
  const PostView* current = find_post(root, current_id, 0);
  if (current == nullptr) current = &root.post;
  const std::string heading = heading_for(*current);

  const bool remote = !current->original_url.empty();
  // A remote post's page here is a copy: search engines are pointed at the original.
  PageMeta meta = page_meta(instance, heading, remote ? current->original_url : current->url);
  meta.noindex = remote;
  if (!current->deleted && !current->withheld) meta.activity_json_url = current->id;

  std::string body = "<h1>";
  append_escaped(body, heading);
  body += "</h1>\n";
  if (remote) {
    body += "<p class=\"muted\">This post comes from ";
    append_escaped(body, current->author.domain);
    body += ". This server shows the replies it knows of";
    if (const auto original = safe_href(current->original_url); !original.empty()) {
      body += "; <a href=\"";
      append_escaped(body, original);
      body += "\" rel=\"nofollow noopener\">see the original</a> for the full thread";
    }
    body += ".</p>\n";
  }
  if (current != &root.post) {
    body += "<p><a href=\"#current\">Jump to this post in the thread</a></p>\n";
  }
  append_post_article(body, root.post, {.current = current == &root.post});
  body += "<section aria-labelledby=\"replies-heading\">\n";
  body += "<h2 id=\"replies-heading\">Replies</h2>\n";
  if (root.replies.empty()) body += "<p class=\"muted\">No replies yet.</p>\n";
  append_replies(body, root.replies, current->id, 1);
  body += "</section>\n";
  return page(meta, body);
}

}  // namespace civicpub::server::html
