// Parsing untrusted HTML into a tree with Gumbo (a conforming HTML5 parser: it decodes
// character references, repairs unclosed and stray tags and unquoted attributes exactly as a
// browser would), within limits, plus the element tables the sanitizer and the plain-text
// converter share.
#pragma once

#include "federation/text/parse_arena.hpp"

#include <gumbo.h>

#include <cstddef>
#include <memory>
#include <string>
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
  // Markup with more formatting elements open at once than this is refused before parsing
  // (open_formatting_peak): the tree the parser builds grows with this number times the
  // number of blocks. Real posts keep a handful open (a mention is <a> with a <span>).
  std::size_t max_open_formatting = 32;
  // The parse may allocate at most this many times and bytes per input byte (plus a constant
  // for small inputs). Ordinary posts of 128 KiB take under two allocations and 16 bytes per
  // byte; the densest ordinary markup ("<p>a" over and over) 0.7 and 55. Past it the parse is
  // abandoned.
  std::size_t parse_allocations_per_byte = 8;
  std::size_t parse_bytes_per_byte = 128;
};

// The input that the limits let through.
std::string_view capped_input(std::string_view html, const HtmlLimits& limits);

// A parsed fragment (as if it were the content of a <div>); owns Gumbo's output.
// Markup the limits refuse (too many open formatting elements, or a parse past its budget) is
// replaced by its text alone (text_without_tags), so a reader still sees the words.
class HtmlFragment {
 public:
  HtmlFragment(std::string_view html, const HtmlLimits& limits);
  ~HtmlFragment();
  HtmlFragment(const HtmlFragment&) = delete;
  HtmlFragment& operator=(const HtmlFragment&) = delete;

  // The top-level nodes of the fragment.
  const GumboVector& nodes() const;

  // True when the markup was refused and the fragment holds its text only.
  bool refused() const { return refused_; }
  // What the parses allocated, the refused one included.
  const ParseWork& work() const { return work_; }

 private:
  bool parse(std::string_view input, const HtmlLimits& limits);

  std::unique_ptr<ParseArena> arena_;
  GumboOutput* output_ = nullptr;
  std::string text_only_;
  ParseWork work_;
  bool refused_ = false;
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
