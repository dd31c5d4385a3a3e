#include "federation/text/sanitizer.hpp"

#include "federation/text/html_escape.hpp"
#include "federation/text/safe_url.hpp"

#include <algorithm>
#include <array>
#include <vector>

namespace civicpub::federation::text {
namespace {

constexpr std::string_view kLinkRel = "nofollow noopener noreferrer";
constexpr std::array<std::string_view, 6> kAllowedClasses = {"h-card",  "u-url",     "mention",
                                                             "hashtag", "invisible", "ellipsis"};

enum class Rule { unwrap, plain, span, link, line_break, paragraph, block };

Rule rule_for(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_BR: return Rule::line_break;
    case GUMBO_TAG_P: return Rule::paragraph;
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_OL: return Rule::block;
    case GUMBO_TAG_LI:
    case GUMBO_TAG_STRONG:
    case GUMBO_TAG_EM:
    case GUMBO_TAG_B:
    case GUMBO_TAG_I:
    case GUMBO_TAG_U:
    case GUMBO_TAG_DEL:
    case GUMBO_TAG_CODE: return Rule::plain;
    case GUMBO_TAG_SPAN: return Rule::span;
    case GUMBO_TAG_A: return Rule::link;
    default: return Rule::unwrap;
  }
}

std::string_view attribute(const GumboElement& e, const char* name) {
  const GumboAttribute* a = gumbo_get_attribute(&e.attributes, name);
  return a != nullptr ? std::string_view(a->value) : std::string_view();
}

bool is_ascii_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

// Whitespace-separated tokens of an attribute value.
std::vector<std::string_view> tokens(std::string_view value) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < value.size()) {
    while (i < value.size() && is_ascii_space(value[i])) ++i;
    std::size_t j = i;
    while (j < value.size() && !is_ascii_space(value[j])) ++j;
    if (j > i) out.push_back(value.substr(i, j - i));
    i = j;
  }
  return out;
}

// ` class="..."` with the allowed classes in their original order, or "" when none remain.
std::string class_attribute(const GumboElement& e) {
  std::vector<std::string_view> kept;
  for (const std::string_view c : tokens(attribute(e, "class"))) {
    const bool allowed =
        std::find(kAllowedClasses.begin(), kAllowedClasses.end(), c) != kAllowedClasses.end();
    if (allowed && std::find(kept.begin(), kept.end(), c) == kept.end()) kept.push_back(c);
  }
  if (kept.empty()) return {};
  std::string out = " class=\"";
  for (std::size_t k = 0; k < kept.size(); ++k) {
    if (k > 0) out += ' ';
    out += kept[k];  // allow-listed, nothing to escape
  }
  out += '"';
  return out;
}

bool has_rel_tag(const GumboElement& e) {
  for (const std::string_view t : tokens(attribute(e, "rel"))) {
    if (t.size() == 3 && (t[0] | 0x20) == 't' && (t[1] | 0x20) == 'a' && (t[2] | 0x20) == 'g') {
      return true;
    }
  }
  return false;
}

class Writer {
 public:
  explicit Writer(const HtmlLimits& limits) : limits_(limits) {}

  void nodes(const GumboVector& list, std::size_t depth) {
    for (unsigned k = 0; k < list.length; ++k) {
      node(*static_cast<const GumboNode*>(list.data[k]), depth);
    }
  }

  std::string take() { return std::move(out_); }

 private:
  void node(const GumboNode& n, std::size_t depth) {
    switch (n.type) {
      case GUMBO_NODE_TEXT:
      case GUMBO_NODE_WHITESPACE:
      case GUMBO_NODE_CDATA: text(n.v.text.text); return;
      case GUMBO_NODE_ELEMENT:
      case GUMBO_NODE_TEMPLATE: element(n, depth); return;
      default: return;  // comments
    }
  }

  void element(const GumboNode& n, std::size_t depth) {
    if (drops_with_content(n)) return;
    if (depth >= limits_.max_depth) {
      flatten(n);
      return;
    }
    const GumboElement& e = n.v.element;
    switch (rule_for(e.tag)) {
      case Rule::unwrap: unwrap(n, depth); return;
      case Rule::line_break:
        out_ += "<br>";
        pending_space_ = false;
        after_break_ = true;
        return;
      case Rule::paragraph:
      case Rule::block:
        // A block inside a <p> would be re-parsed differently; keep just its text.
        if (in_paragraph_) return unwrap(n, depth);
        return wrap(n, depth, "");
      case Rule::plain:
        // An <li> outside a list would be re-parsed differently (a second one closes the
        // first): it is kept only directly inside a written <ul> or <ol> (found by
        // fuzz_sanitizer: the output must parse back to the same tree).
        if (e.tag == GUMBO_TAG_LI && !in_list_) return unwrap(n, depth);
        return wrap(n, depth, "");
      case Rule::span: return wrap(n, depth, class_attribute(e));
      case Rule::link: return link(n, depth);
    }
  }

  void link(const GumboNode& n, std::size_t depth) {
    const GumboElement& e = n.v.element;
    const std::optional<std::string> href = safe_link_href(attribute(e, "href"));
    if (!href || in_link_) return unwrap(n, depth);
    std::string attributes = " href=\"";
    append_html_escaped(attributes, *href);
    attributes += '"';
    attributes += class_attribute(e);
    attributes += " rel=\"";
    attributes += kLinkRel;
    if (has_rel_tag(e)) attributes += " tag";
    attributes += '"';
    in_link_ = true;
    wrap(n, depth, attributes);
    in_link_ = false;
  }

  void wrap(const GumboNode& n, std::size_t depth, std::string_view attributes) {
    const GumboTag tag = n.v.element.tag;
    const std::string_view name = gumbo_normalized_tagname(tag);
    if (is_block(tag)) {
      pending_space_ = false;  // the block itself separates
    } else {
      flush_space();
    }
    out_ += '<';
    out_ += name;
    out_ += attributes;
    out_ += '>';
    after_break_ = is_block(tag);
    // The parser drops a newline right after <pre>: text() writes one more when the first
    // thing written inside starts with one (a dropped element or a comment may come first).
    if (tag == GUMBO_TAG_PRE) pre_content_at_ = out_.size();
    const GumboVector& children = n.v.element.children;
    const bool was_in_paragraph = in_paragraph_;
    const bool was_in_list = in_list_;
    in_paragraph_ = in_paragraph_ || tag == GUMBO_TAG_P;
    in_list_ = tag == GUMBO_TAG_UL || tag == GUMBO_TAG_OL;
    nodes(children, depth + 1);
    in_paragraph_ = was_in_paragraph;
    in_list_ = was_in_list;
    out_ += "</";
    out_ += name;
    out_ += '>';
    if (is_block(tag)) {
      pending_space_ = false;
      after_break_ = true;
    }
  }

  void unwrap(const GumboNode& n, std::size_t depth) {
    const bool block = is_block(n.v.element.tag);
    if (block) pending_space_ = true;
    nodes(n.v.element.children, depth + 1);
    if (block) pending_space_ = true;
  }

  // The text of a subtree too deep to keep, walked without recursion.
  void flatten(const GumboNode& root) {
    std::vector<const GumboNode*> stack{&root};
    while (!stack.empty()) {
      const GumboNode* n = stack.back();
      stack.pop_back();
      if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE ||
          n->type == GUMBO_NODE_CDATA) {
        text(n->v.text.text);
        continue;
      }
      if ((n->type != GUMBO_NODE_ELEMENT && n->type != GUMBO_NODE_TEMPLATE) ||
          drops_with_content(*n)) {
        continue;
      }
      if (is_block(n->v.element.tag)) pending_space_ = true;
      const GumboVector& children = n->v.element.children;
      for (unsigned k = children.length; k > 0; --k) {
        stack.push_back(static_cast<const GumboNode*>(children.data[k - 1]));
      }
    }
  }

  void text(std::string_view s) {
    if (s.empty()) return;
    if (out_.size() == pre_content_at_ && s.front() == '\n') out_ += '\n';
    if (!is_ascii_space(s.front())) flush_space();
    pending_space_ = false;
    after_break_ = false;
    append_html_escaped(out_, s);
  }

  // Text that came from two unwrapped blocks must not run together ("<div>a</div>b" is "a b").
  void flush_space() {
    if (pending_space_ && !out_.empty() && !after_break_ && !is_ascii_space(out_.back())) {
      out_ += ' ';
    }
    pending_space_ = false;
  }

  const HtmlLimits& limits_;
  std::string out_;
  bool pending_space_ = false;
  bool after_break_ = false;  // the output ends with <br> or a block tag: no space needed
  bool in_paragraph_ = false;
  bool in_list_ = false;
  std::size_t pre_content_at_ =
      std::string::npos;  // where the content of the last <pre> starts  // the element written last
                          // around us is a <ul> or <ol>
  bool in_link_ = false;
};

}  // namespace

SanitizeResult sanitize_html_measured(std::string_view html, const HtmlLimits& limits) {
  const HtmlFragment fragment(html, limits);
  Writer writer(limits);
  writer.nodes(fragment.nodes(), 0);
  return SanitizeResult{writer.take(), fragment.refused(), fragment.work()};
}

std::string sanitize_html(std::string_view html, const HtmlLimits& limits) {
  return sanitize_html_measured(html, limits).html;
}

}  // namespace civicpub::federation::text
