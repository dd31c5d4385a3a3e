// html_to_plain_text (declared in sanitizer.hpp): the same parse and drop rules as the
// sanitizer, written out as text.
#include "federation/text/html_tree.hpp"
#include "federation/text/sanitizer.hpp"

#include <algorithm>
#include <vector>

namespace civicpub::federation::text {
namespace {

bool is_ascii_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

// Breaks are only written when more text follows, so none lead or trail.
class PlainTextWriter {
 public:
  void text(std::string_view s) {
    for (const char c : s) {
      if (pre_depth_ == 0 && is_ascii_space(c)) {
        pending_space_ = true;
        continue;
      }
      if (!out_.empty()) {
        if (pending_breaks_ > 0) {
          out_.append(static_cast<std::size_t>(pending_breaks_), '\n');
        } else if (pending_space_ && out_.back() != '\n') {
          out_ += ' ';
        }
      }
      pending_breaks_ = 0;
      pending_space_ = false;
      out_ += c;
    }
  }

  // <br>: each one counts, so two make an empty line (at most two in a row).
  void line_break() { pending_breaks_ = std::min(pending_breaks_ + 1, 2); }
  void at_least(int breaks) { pending_breaks_ = std::max(pending_breaks_, breaks); }
  void enter_pre() { ++pre_depth_; }
  void leave_pre() { --pre_depth_; }

  std::string take() { return std::move(out_); }

 private:
  std::string out_;
  int pending_breaks_ = 0;
  bool pending_space_ = false;
  int pre_depth_ = 0;
};

// Line items get a line of their own; other blocks are paragraphs.
int breaks_around(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_LI:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_TR: return 1;
    case GUMBO_TAG_TD:
    case GUMBO_TAG_TH: return 0;
    default: return is_block(tag) ? 2 : 0;
  }
}

}  // namespace

std::string html_to_plain_text(std::string_view html, const HtmlLimits& limits) {
  const HtmlFragment fragment(html, limits);
  PlainTextWriter writer;
  // Iterative walk: a `leaving` entry marks the end of an element, so nesting depth
  // costs heap, not stack.
  struct Step {
    const GumboNode* node;
    bool leaving;
  };
  std::vector<Step> stack;
  const GumboVector& top = fragment.nodes();
  for (unsigned k = top.length; k > 0; --k) {
    stack.push_back({static_cast<const GumboNode*>(top.data[k - 1]), false});
  }
  while (!stack.empty()) {
    const auto [n, leaving] = stack.back();
    stack.pop_back();
    if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE ||
        n->type == GUMBO_NODE_CDATA) {
      writer.text(n->v.text.text);
      continue;
    }
    if ((n->type != GUMBO_NODE_ELEMENT && n->type != GUMBO_NODE_TEMPLATE) ||
        drops_with_content(*n)) {
      continue;
    }
    const GumboTag tag = n->v.element.tag;
    if (leaving) {
      writer.at_least(breaks_around(tag));
      if (tag == GUMBO_TAG_PRE) writer.leave_pre();
      continue;
    }
    if (tag == GUMBO_TAG_BR) {
      writer.line_break();
      continue;
    }
    writer.at_least(breaks_around(tag));
    if (tag == GUMBO_TAG_PRE) writer.enter_pre();
    stack.push_back({n, true});
    const GumboVector& children = n->v.element.children;
    for (unsigned k = children.length; k > 0; --k) {
      stack.push_back({static_cast<const GumboNode*>(children.data[k - 1]), false});
    }
  }
  return writer.take();
}

}  // namespace civicpub::federation::text
