#include "server/html/consultation_list_page.hpp"

#include "server/html/escape.hpp"
#include "server/html/layout.hpp"
#include "server/html/post_fragment.hpp"
#include "server/html/time_text.hpp"

namespace civicpub::server::html {

std::string consultation_list_page(const federation::as2::InstanceInfo& instance,
                                   const AuthorView& author, std::string_view feed_url,
                                   const std::vector<ConsultationListItem>& items) {
  const std::string heading = "Consultations by " + shown_name(author);
  PageMeta meta = page_meta(instance, heading, "");
  meta.atom_feed_url = std::string(feed_url);
  std::string body = "<h1>";
  append_escaped(body, heading);
  body += "</h1>\n<p class=\"muted\">Vote and reply from any fediverse server. <a href=\"";
  append_escaped(body, safe_href(feed_url));
  body += "\">Atom feed</a></p>\n";
  if (items.empty()) body += "<p class=\"muted\">No consultations yet.</p>\n";
  body += "<ul class=\"posts\">\n";
  for (const auto& item : items) {
    body += "<li class=\"post\"><a class=\"name\" href=\"";
    append_escaped(body, safe_href(item.url));
    body += "\">";
    append_escaped(body, item.title);
    body += "</a><br><span class=\"state\">";
    if (item.state == "open") {
      body += "Open</span> until " + time_element(item.closes_at);
    } else {
      append_escaped(body, item.state == "answered" ? "Answered" : "Closed");
      body += "</span>";
    }
    body += " \u00b7 " + count_text(item.voters, "voter", "voters") + "</li>\n";
  }
  body += "</ul>\n";
  return page(meta, body);
}

}  // namespace civicpub::server::html
