#include "server/html/atom_feed.hpp"

#include "federation/as2/time_format.hpp"
#include "federation/text/html_escape.hpp"
#include "federation/text/sanitizer.hpp"
#include "federation/text/unicode.hpp"
#include "server/html/post_fragment.hpp"

#include <algorithm>

namespace civicpub::server::html {
namespace {

using federation::text::append_xml_escaped;

void append_element(std::string& out, std::string_view indent, std::string_view name,
                    std::string_view text) {
  out += indent;
  out += '<';
  out += name;
  out += '>';
  append_xml_escaped(out, text);
  out += "</";
  out += name;
  out += ">\n";
}

void append_link(std::string& out, std::string_view indent, std::string_view rel,
                 std::string_view type, std::string_view href) {
  out += indent;
  out += "<link rel=\"";
  out += rel;
  out += "\" type=\"";
  out += type;
  out += "\" href=\"";
  append_xml_escaped(out, href);
  out += "\"/>\n";
}

}  // namespace

std::string entry_title(const PostView& post) {
  if (!post.title.empty()) return post.title;
  if (post.content_warning && !post.content_warning->empty()) return *post.content_warning;
  std::string excerpt = text_excerpt(post.content_html, kAtomTitleLength);
  return excerpt.empty() ? "Post by " + shown_name(post.author) : excerpt;
}

namespace {

void append_entry(std::string& out, const PostView& post) {
  out += "  <entry>\n";
  append_element(out, "    ", "id", post.id);
  append_element(out, "    ", "title", entry_title(post));
  append_link(out, "    ", "alternate", "text/html", post.url);
  append_element(out, "    ", "published", federation::as2::format_iso8601_ms(post.published));
  append_element(out, "    ", "updated",
                 federation::as2::format_iso8601_ms(post.updated.value_or(post.published)));
  out += "    <author>\n";
  append_element(out, "      ", "name", shown_name(post.author));
  append_element(out, "      ", "uri", post.author.profile_url);
  out += "    </author>\n";
  if (post.content_warning && !post.content_warning->empty()) {
    append_element(out, "    ", "summary", *post.content_warning);
  }
  out += "    <content type=\"html\"";
  if (!post.language.empty()) {
    out += " xml:lang=\"";
    append_xml_escaped(out, post.language);
    out += '"';
  }
  out += '>';
  append_xml_escaped(out,
                     post.content_html);  // sanitized HTML, escaped once as RFC 4287 3.1.1.2 asks
  out += "</content>\n  </entry>\n";
}

}  // namespace

std::string text_excerpt(std::string_view html, std::size_t max_chars) {
  const std::u32string text =
      federation::text::decode_utf8(federation::text::html_to_plain_text(html));
  std::u32string line;
  bool space = false;
  for (const char32_t c : text) {
    if (federation::text::is_space(c)) {
      space = !line.empty();
      continue;
    }
    if (space) line += U' ';
    space = false;
    line += c;
  }
  if (line.size() <= max_chars) return federation::text::encode_utf8(line);
  std::size_t cut = max_chars;
  // Back up to the last space when there is one in the second half: whole words read better.
  const auto space_at = line.rfind(U' ', max_chars);
  if (space_at != std::u32string::npos && space_at > max_chars / 2) cut = space_at;
  line.resize(cut);
  return federation::text::encode_utf8(line) + "\u2026";
}

std::string atom_feed(const federation::as2::InstanceInfo& instance,
                      const storage::ActorRecord& actor, std::string_view feed_url,
                      const std::vector<PostView>& posts) {
  const AuthorView author = author_view(actor);
  return atom_feed(instance, actor, feed_url, posts,
                   {shown_name(author) + " (" + handle(author) + ")", author.profile_url});
}

std::string atom_feed(const federation::as2::InstanceInfo& instance,
                      const storage::ActorRecord& actor, std::string_view feed_url,
                      const std::vector<PostView>& posts, const FeedHead& head) {
  const AuthorView author = author_view(actor);
  storage::Millis updated = actor.updated_at;
  for (const PostView& post : posts) {
    updated = std::max(updated, post.updated.value_or(post.published));
  }
  std::string out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";
  out += "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n";
  append_element(out, "  ", "id", feed_url);
  append_element(out, "  ", "title", head.title);
  const std::string summary = federation::text::html_to_plain_text(actor.summary_html);
  if (!summary.empty()) append_element(out, "  ", "subtitle", summary);
  append_element(out, "  ", "updated", federation::as2::format_iso8601_ms(updated));
  out += "  <author>\n";
  append_element(out, "    ", "name", shown_name(author));
  append_element(out, "    ", "uri", author.profile_url);
  out += "  </author>\n";
  append_link(out, "  ", "self", "application/atom+xml", feed_url);
  append_link(out, "  ", "alternate", "text/html", head.alternate_url);
  out += "  <generator";
  if (!instance.software_homepage.empty()) {
    out += " uri=\"";
    append_xml_escaped(out, instance.software_homepage);
    out += '"';
  }
  out += ">civicpub</generator>\n";
  for (const PostView& post : posts) append_entry(out, post);
  out += "</feed>\n";
  return out;
}

}  // namespace civicpub::server::html
