// The frame every HTML page shares: document head, site header, <main>, footer. civicpub serves
// one URL as ActivityPub JSON to servers and as HTML to browsers; the page links its JSON twin
// with <link rel="alternate"> so tools can find it.
#pragma once

#include "federation/as2/instance_info.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace civicpub::server::html {

// The Content-Security-Policy the handlers should send with every page: the pages carry one
// inline stylesheet and nothing else, so anything more (an injected script, a remote image, a
// form posting elsewhere) is refused by the browser even if an escaping bug let it through.
inline constexpr std::string_view kContentSecurityPolicy =
    "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

// All plain text; layout escapes it.
struct PageMeta {
  std::string title;          // "" on the front page: the title is then the instance name
  std::string instance_name;  // shown in the header and after the title
  std::string home_url;       // the instance front page
  std::string about_url;      // where the instance describes itself (front page #about)
  std::string canonical_url;  // empty: no canonical link
  std::optional<std::string> activity_json_url;  // the ActivityPub document for this page
  std::optional<std::string> atom_feed_url;      // an Atom feed of what the page lists
  std::string description;                       // <meta name="description">, empty: none
  std::string lang = "en";                       // the page's language (BCP 47)
  bool noindex = false;                          // error pages and non-discoverable accounts
};

// Meta filled from the instance settings: home and about URLs derived from base_url.
PageMeta page_meta(const federation::as2::InstanceInfo& instance, std::string title,
                   std::string canonical_url = {});

// A complete document: `<!DOCTYPE html>`, head, header, `<main>` holding `body_html` (trusted
// markup produced by the page renderers), footer.
std::string page(const PageMeta& meta, std::string_view body_html);

}  // namespace civicpub::server::html
