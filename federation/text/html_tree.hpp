// Parsing untrusted HTML into a tree with Gumbo (a conforming HTML5 parser: it decodes
// character references, repairs unclosed and stray tags and unquoted attributes exactly as a
// browser would), within limits, plus the element tables the sanitizer and the plain-text
// converter share.
#pragma once

#include <gumbo.h>

#include <cstddef>
#include <string_view>

namespace civicpub::federation::text {

struct HtmlLimits {
  // Input past this many bytes is cut off (at a character boundary) before parsing.
  std::size_t max_input_bytes = 128 * 1024;
  // Input is also cut before the (max_tags + 1)-th '<'. Gumbo's tree building is quadratic in
  // nesting depth (26,000 nested <div>s take seconds), and depth <= number of tags.
  std::size_t max_tags = 4096;
  // Elements nested deeper than this are flattened to their text.
  std::size_t max_depth = 64;
};

// The input that the limits let through.
std::string_view capped_input(std::string_view html, const HtmlLimits& limits);

// A parsed fragment (as if it were the content of a <div>); owns Gumbo's output.
class HtmlFragment {
 public:
  HtmlFragment(std::string_view html, const HtmlLimits& limits);
  ~HtmlFragment();
  HtmlFragment(const HtmlFragment&) = delete;
  HtmlFragment& operator=(const HtmlFragment&) = delete;

  // The top-level nodes of the fragment.
  const GumboVector& nodes() const;

 private:
  GumboOptions options_;
  GumboOutput* output_;
};

// Elements removed together with everything inside them: scripts, styles, embedded documents
// and plug-ins, forms and their controls, document metadata, and SVG/MathML (anything outside
// the HTML namespace) whose text is not prose.
bool drops_with_content(const GumboNode& element);

// Block-level elements: when they are unwrapped their text is kept apart from its neighbours.
bool is_block(GumboTag tag);

// The children of an element or template node.
const GumboVector& children_of(const GumboNode& element);

}  // namespace civicpub::federation::text
