#include "server/html/layout.hpp"

#include "server/html/escape.hpp"
#include "server/html/style.hpp"

namespace civicpub::server::html {
namespace {

// "Title · Instance", or just the instance name when the page has no title of its own.
std::string full_title(const PageMeta& meta) {
  if (meta.title.empty()) return meta.instance_name;
  if (meta.instance_name.empty()) return meta.title;
  return meta.title + " \u00b7 " + meta.instance_name;
}

void append_link(std::string& out, std::string_view rel, std::string_view href,
                 std::string_view type = {}) {
  const std::string_view safe = safe_href(href);
  if (safe.empty()) return;
  out += "<link rel=\"";
  out += rel;
  out += '"';
  if (!type.empty()) {
    out += " type=\"";
    out += type;
    out += '"';
  }
  out += " href=\"";
  append_escaped(out, safe);
  out += "\">\n";
}

void append_head(std::string& out, const PageMeta& meta) {
  out += "<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<meta name=\"color-scheme\" content=\"light dark\">\n";
  out += "<title>";
  append_escaped(out, full_title(meta));
  out += "</title>\n";
  if (!meta.description.empty()) {
    out += "<meta name=\"description\" content=\"";
    append_escaped(out, meta.description);
    out += "\">\n";
  }
  if (meta.noindex) out += "<meta name=\"robots\" content=\"noindex\">\n";
  if (!meta.canonical_url.empty()) append_link(out, "canonical", meta.canonical_url);
  if (meta.activity_json_url) {
    append_link(out, "alternate", *meta.activity_json_url, "application/activity+json");
  }
  if (meta.atom_feed_url) {
    append_link(out, "alternate", *meta.atom_feed_url, "application/atom+xml");
  }
  out += "<style>";
  out += stylesheet();
  out += "</style>\n</head>\n";
}

void append_header(std::string& out, const PageMeta& meta) {
  out += "<a class=\"skip\" href=\"#main\">Skip to content</a>\n";
  out += "<header class=\"site-header\"><a href=\"";
  append_escaped(out, safe_href(meta.home_url));
  out += "\" rel=\"home\">";
  append_escaped(out, meta.instance_name);
  out += "</a></header>\n";
}

void append_footer(std::string& out, const PageMeta& meta) {
  out += "<footer class=\"site-footer\">\n<p><a href=\"";
  append_escaped(out, safe_href(meta.about_url));
  out += "\">About ";
  append_escaped(out, meta.instance_name);
  out += "</a></p>\n<p>Powered by civicpub</p>\n</footer>\n";
}

}  // namespace

PageMeta page_meta(const federation::as2::InstanceInfo& instance, std::string title,
                   std::string canonical_url) {
  PageMeta meta;
  meta.title = std::move(title);
  meta.instance_name = instance.name.empty() ? instance.host : instance.name;
  meta.home_url = instance.base_url + "/";
  meta.about_url = meta.home_url + "#about";
  meta.canonical_url = std::move(canonical_url);
  return meta;
}

std::string page(const PageMeta& meta, std::string_view body_html) {
  std::string out;
  out.reserve(body_html.size() + stylesheet().size() + 1024);
  out += "<!DOCTYPE html>\n<html lang=\"";
  append_escaped(out, meta.lang.empty() ? std::string_view{"en"} : std::string_view{meta.lang});
  out += "\">\n";
  append_head(out, meta);
  out += "<body>\n";
  append_header(out, meta);
  out += "<main id=\"main\">\n";
  out += body_html;
  out += "</main>\n";
  append_footer(out, meta);
  out += "</body>\n</html>\n";
  return out;
}

}  // namespace civicpub::server::html
