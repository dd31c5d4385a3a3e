#include "server/html/error_page.hpp"

#include "server/html/escape.hpp"
#include "server/html/layout.hpp"

namespace civicpub::server::html {
namespace {

struct ErrorText {
  std::string_view title;
  std::string_view explanation;
};

ErrorText text_for(unsigned status) {
  switch (status) {
    case 404:
      return {"Page not found",
              "There is nothing at this address. The link may be mistyped or out of date."};
    case 410:
      return {"This is gone",
              "What was here has been deleted, by its author or by the people who run this "
              "server."};
    default:
      return {"Something went wrong",
              "This page could not be shown right now. Please try again in a little while."};
  }
}

}  // namespace

std::string error_page(const federation::as2::InstanceInfo& instance, unsigned status) {
  const ErrorText text = text_for(status);
  PageMeta meta = page_meta(instance, std::string{text.title});
  meta.noindex = true;

  std::string body = "<h1>";
  body += text.title;
  body += "</h1>\n<p>";
  body += text.explanation;
  body += "</p>\n<p><a href=\"";
  append_escaped(body, safe_href(meta.home_url));
  body += "\">Go to the front page of ";
  append_escaped(body, meta.instance_name);
  body += "</a></p>\n";
  return page(meta, body);
}

}  // namespace civicpub::server::html
