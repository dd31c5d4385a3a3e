#include "server/html/consultation_page.hpp"

#include "server/html/escape.hpp"
#include "server/html/layout.hpp"
#include "server/html/post_fragment.hpp"
#include "server/html/post_page.hpp"
#include "server/html/time_text.hpp"

#include <algorithm>

namespace civicpub::server::html {
namespace {

constexpr int kChartWidth = 480;
constexpr int kLabelHeight = 18;
constexpr int kBarHeight = 16;
constexpr int kBarGap = 4;
constexpr int kGroupGap = 14;
constexpr int kNumberRoom = 60;  // right of the longest bar, for its number

bool split(const ConsultationView& c) {
  return !c.eligible_domains.empty();
}

std::string state_text(const ConsultationView& c) {
  if (c.state == "open") return "Open until " + readable_utc(c.closes_at);
  if (c.state == "answered") return "Answered";
  return "Closed " + readable_utc(c.closed_at.value_or(c.closes_at));
}

void append_bar(std::string& out, int y, std::int64_t count, std::int64_t largest,
                std::string_view css_class, std::string_view what) {
  const int room = kChartWidth - kNumberRoom;
  const int width = largest > 0 ? static_cast<int>(count * room / largest) : 0;
  out += "<rect class=\"" + std::string(css_class) + "\" x=\"0\" y=\"" + std::to_string(y) +
         "\" width=\"" + std::to_string(std::max(width, count > 0 ? 2 : 0)) + "\" height=\"" +
         std::to_string(kBarHeight) + "\"/>";
  out += "<text x=\"" + std::to_string(width + 6) + "\" y=\"" + std::to_string(y + kBarHeight - 3) +
         "\">" + std::to_string(count);
  if (!what.empty()) {
    out += ' ';
    append_escaped(out, what);
  }
  out += "</text>\n";
}

// The chart's text alternative: every number the bars show.
std::string chart_description(const ConsultationView& c) {
  std::string text = "Votes per option: ";
  bool first = true;
  for (const auto& option : c.options) {
    if (!first) text += "; ";
    first = false;
    text += option.name + " " + std::to_string(option.total());
    if (split(c)) {
      text += " (" + std::to_string(option.residents) + " residents, " +
              std::to_string(option.others) + " others)";
    }
  }
  return text + ".";
}

void append_table(std::string& out, const ConsultationView& c) {
  out += "<table>\n<caption>Votes per option</caption>\n<thead><tr><th scope=\"col\">Option</th>";
  if (split(c)) out += "<th scope=\"col\">Residents</th><th scope=\"col\">Others</th>";
  out += "<th scope=\"col\">Total</th></tr></thead>\n<tbody>\n";
  for (const auto& option : c.options) {
    out += "<tr><th scope=\"row\">";
    append_escaped(out, option.name);
    out += "</th>";
    if (split(c)) {
      out += "<td class=\"n\">" + std::to_string(option.residents) + "</td><td class=\"n\">" +
             std::to_string(option.others) + "</td>";
    }
    out += "<td class=\"n\">" + std::to_string(option.total()) + "</td></tr>\n";
  }
  out += "</tbody>\n<tfoot><tr><th scope=\"row\">Voters</th>";
  if (split(c)) {
    out += "<td class=\"n\">" + std::to_string(c.voters_residents) + "</td><td class=\"n\">" +
           std::to_string(c.voters_others) + "</td>";
  }
  out += "<td class=\"n\">" + std::to_string(c.voters_residents + c.voters_others) +
         "</td></tr></tfoot>\n</table>\n";
}

const ThreadNode* find_answer(const ThreadNode& root, const std::string& answer_id) {
  if (answer_id.empty()) return nullptr;
  for (const auto& reply : root.replies) {
    if (reply.post.id == answer_id) return &reply;
  }
  return nullptr;
}

}  // namespace

std::string results_svg(const ConsultationView& c) {
  std::int64_t largest = 0;
  for (const auto& option : c.options) {
    largest = std::max({largest, split(c) ? option.residents : option.total(), option.others});
  }
  const int bars = split(c) ? 2 : 1;
  const int group = kLabelHeight + bars * kBarHeight + (bars - 1) * kBarGap + kGroupGap;
  const int height = std::max(group * static_cast<int>(c.options.size()), 1);
  std::string out =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"chart-title "
      "chart-desc\" width=\"" +
      std::to_string(kChartWidth) + "\" height=\"" + std::to_string(height) + "\" viewBox=\"0 0 " +
      std::to_string(kChartWidth) + " " + std::to_string(height) +
      "\">\n<title id=\"chart-title\">Results</title>\n"
      "<desc id=\"chart-desc\">";
  append_escaped(out, chart_description(c));
  out += "</desc>\n";
  int y = 0;
  for (const auto& option : c.options) {
    out += "<text x=\"0\" y=\"" + std::to_string(y + kLabelHeight - 5) + "\">";
    append_escaped(out, option.name);
    out += "</text>\n";
    y += kLabelHeight;
    if (split(c)) {
      append_bar(out, y, option.residents, largest, "bar", "residents");
      y += kBarHeight + kBarGap;
      append_bar(out, y, option.others, largest, "bar others", "others");
    } else {
      append_bar(out, y, option.total(), largest, "bar", "");
    }
    y += kBarHeight + kGroupGap;
  }
  out += "</svg>";
  return out;
}

std::string consultation_page(const federation::as2::InstanceInfo& instance,
                              const ConsultationView& c, const ThreadNode& root) {
  PageMeta meta = page_meta(instance, c.title, root.post.url);
  meta.activity_json_url = root.post.id;
  std::string body = "<h1>";
  append_escaped(body, c.title);
  body += "</h1>\n<p><span class=\"state\">";
  append_escaped(body, state_text(c));
  body += "</span>";
  if (c.state == "open") body += " (" + time_element(c.closes_at) + ")";
  body += c.multiple ? " \u00b7 several options may be chosen" : " \u00b7 one option may be chosen";
  body += "</p>\n";
  append_post_article(body, root.post, {.current = false});

  body +=
      "<section aria-labelledby=\"results-heading\">\n<h2 id=\"results-heading\">Results</h2>\n";
  if (split(c)) {
    body += "<p class=\"muted\">Residents are voters on ";
    for (std::size_t i = 0; i < c.eligible_domains.size(); ++i) {
      if (i > 0) body += ", ";
      append_escaped(body, c.eligible_domains[i]);
    }
    body += "; everyone else is counted as others.</p>\n";
  }
  body += "<div class=\"results\">\n<figure>" + results_svg(c) + "</figure>\n";
  append_table(body, c);
  body += "</div>\n<p>Open data: <a href=\"";
  append_escaped(body, safe_href(c.id + "/export.csv"));
  body += "\">CSV</a>, <a href=\"";
  append_escaped(body, safe_href(c.id + "/export.json"));
  body += "\">JSON</a> (counts only).</p>\n</section>\n";

  if (c.state == "open") {
    body +=
        "<section class=\"box\" aria-labelledby=\"vote-heading\">\n<h2 id=\"vote-heading\">How to "
        "vote</h2>\n<p>From Mastodon or any other fediverse server: search for <code>";
    append_escaped(body, c.id);
    body += "</code> (or follow <code>";
    append_escaped(body, c.author_handle);
    body +=
        "</code>), open the post and choose in its poll. Reply to it to say "
        "more.</p>\n</section>\n";
  }

  const ThreadNode* answer = find_answer(root, c.answer_id);
  if (answer != nullptr) {
    body +=
        "<section class=\"answer\" aria-labelledby=\"answer-heading\">\n<h2 id=\"answer-heading\">"
        "Official answer</h2>\n";
    append_post_article(body, answer->post, {.current = false});
    body += "</section>\n";
  }
  body +=
      "<section aria-labelledby=\"replies-heading\">\n<h2 id=\"replies-heading\">Discussion</h2>\n";
  std::vector<ThreadNode> discussion;
  for (const auto& reply : root.replies) {
    if (&reply != answer) discussion.push_back(reply);
  }
  if (discussion.empty() && (answer == nullptr || answer->replies.empty())) {
    body += "<p class=\"muted\">No replies yet.</p>\n";
  }
  if (answer != nullptr && !answer->replies.empty()) {
    append_thread_replies(body, answer->replies, "");
  }
  append_thread_replies(body, discussion, "");
  body += "</section>\n";
  return page(meta, body);
}

}  // namespace civicpub::server::html
