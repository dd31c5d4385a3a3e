#include "server/html/home_page.hpp"

#include "server/html/escape.hpp"
#include "server/html/layout.hpp"
#include "server/html/post_fragment.hpp"
#include "server/html/profile_page.hpp"

namespace civicpub::server::html {
namespace {

bool looks_like_email(std::string_view text) {
  const auto at = text.find('@');
  return at != std::string_view::npos && at > 0 && at + 1 < text.size() &&
         text.find_first_of(" \t<>\"'/:") == std::string_view::npos;
}

// The admin contact is free text in the config: an e-mail address becomes a mailto: link, a web
// address a link, anything else (a phone number, an office) stays text.
void append_contact(std::string& out, std::string_view contact) {
  if (looks_like_email(contact)) {
    out += "<a href=\"mailto:";
    append_escaped(out, contact);
    out += "\">";
    append_escaped(out, contact);
    out += "</a>";
  } else if (const auto href = safe_href(contact); !href.empty() && href.front() != '/') {
    out += "<a href=\"";
    append_escaped(out, href);
    out += "\">";
    append_escaped(out, contact);
    out += "</a>";
  } else {
    append_escaped(out, contact);
  }
}

void append_accounts(std::string& out, std::span<const storage::ActorRecord> accounts) {
  out += "<section aria-labelledby=\"accounts-heading\">\n";
  out += "<h2 id=\"accounts-heading\">Accounts</h2>\n";
  if (accounts.empty()) {
    out += "<p class=\"muted\">No public accounts yet.</p>\n</section>\n";
    return;
  }
  out += "<ul class=\"accounts\">\n";
  for (const storage::ActorRecord& actor : accounts) {
    const AuthorView author = author_view(actor);
    out += "<li><a href=\"";
    append_escaped(out, safe_href(author.profile_url));
    out += "\">";
    append_escaped(out, shown_name(author));
    out += "</a>";
    if (const auto label = account_type_label(actor.type); !label.empty()) {
      out += " <span class=\"badge\">";
      out += label;
      out += "</span>";
    }
    out += "<br><span class=\"handle\">";
    append_escaped(out, handle(author));
    out += "</span></li>\n";
  }
  out += "</ul>\n</section>\n";
}

void append_about(std::string& out, const federation::as2::InstanceInfo& instance,
                  std::string_view name) {
  out += "<section id=\"about\" aria-labelledby=\"about-heading\">\n";
  out += "<h2 id=\"about-heading\">About this server</h2>\n";
  out += "<p>";
  append_escaped(out, name);
  out +=
      " runs civicpub, a server for towns and civic groups that is part of the fediverse. "
      "Anyone on Mastodon or another fediverse server can follow the accounts above and "
      "reply to their posts.</p>\n";
  if (!instance.admin_contact.empty()) {
    out += "<p>Contact the people who run this server: ";
    append_contact(out, instance.admin_contact);
    out += "</p>\n";
  }
  out += "</section>\n";
}

}  // namespace

std::string home_page(const federation::as2::InstanceInfo& instance,
                      std::span<const storage::ActorRecord> accounts) {
  PageMeta meta = page_meta(instance, {}, instance.base_url + "/");
  meta.description = instance.description;

  std::string body = "<h1>";
  append_escaped(body, meta.instance_name);
  body += "</h1>\n";
  if (!instance.description.empty()) {
    body += "<p class=\"summary\">";
    append_escaped(body, instance.description);
    body += "</p>\n";
  }
  append_accounts(body, accounts);
  append_about(body, instance, meta.instance_name);
  return page(meta, body);
}

}  // namespace civicpub::server::html
