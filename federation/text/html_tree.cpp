#include "federation/text/html_tree.hpp"

#include "federation/text/markup_scan.hpp"

#include <algorithm>
#include <array>

namespace civicpub::federation::text {
namespace {

constexpr std::array kDroppedWithContent = {
    GUMBO_TAG_SCRIPT,   GUMBO_TAG_STYLE,    GUMBO_TAG_IFRAME,   GUMBO_TAG_FRAME,
    GUMBO_TAG_FRAMESET, GUMBO_TAG_NOFRAMES, GUMBO_TAG_OBJECT,   GUMBO_TAG_EMBED,
    GUMBO_TAG_APPLET,   GUMBO_TAG_PARAM,    GUMBO_TAG_TEMPLATE, GUMBO_TAG_NOSCRIPT,
    GUMBO_TAG_NOEMBED,  GUMBO_TAG_HEAD,     GUMBO_TAG_TITLE,    GUMBO_TAG_META,
    GUMBO_TAG_LINK,     GUMBO_TAG_BASE,     GUMBO_TAG_SVG,      GUMBO_TAG_MATH,
    GUMBO_TAG_FORM,     GUMBO_TAG_INPUT,    GUMBO_TAG_BUTTON,   GUMBO_TAG_SELECT,
    GUMBO_TAG_OPTION,   GUMBO_TAG_OPTGROUP, GUMBO_TAG_TEXTAREA, GUMBO_TAG_DATALIST,
    GUMBO_TAG_KEYGEN,   GUMBO_TAG_OUTPUT,   GUMBO_TAG_AUDIO,    GUMBO_TAG_VIDEO,
    GUMBO_TAG_SOURCE,   GUMBO_TAG_TRACK,    GUMBO_TAG_CANVAS,   GUMBO_TAG_MAP,
    GUMBO_TAG_AREA,     GUMBO_TAG_IMG,      GUMBO_TAG_IMAGE,    GUMBO_TAG_MENUITEM,
};

constexpr std::array kBlocks = {
    GUMBO_TAG_P,       GUMBO_TAG_DIV,        GUMBO_TAG_BLOCKQUOTE, GUMBO_TAG_PRE,
    GUMBO_TAG_UL,      GUMBO_TAG_OL,         GUMBO_TAG_LI,         GUMBO_TAG_DL,
    GUMBO_TAG_DT,      GUMBO_TAG_DD,         GUMBO_TAG_H1,         GUMBO_TAG_H2,
    GUMBO_TAG_H3,      GUMBO_TAG_H4,         GUMBO_TAG_H5,         GUMBO_TAG_H6,
    GUMBO_TAG_HEADER,  GUMBO_TAG_FOOTER,     GUMBO_TAG_SECTION,    GUMBO_TAG_ARTICLE,
    GUMBO_TAG_ASIDE,   GUMBO_TAG_NAV,        GUMBO_TAG_MAIN,       GUMBO_TAG_ADDRESS,
    GUMBO_TAG_FIGURE,  GUMBO_TAG_FIGCAPTION, GUMBO_TAG_TABLE,      GUMBO_TAG_CAPTION,
    GUMBO_TAG_TR,      GUMBO_TAG_TD,         GUMBO_TAG_TH,         GUMBO_TAG_HR,
    GUMBO_TAG_DETAILS, GUMBO_TAG_SUMMARY,    GUMBO_TAG_FIELDSET,   GUMBO_TAG_LEGEND,
    GUMBO_TAG_CENTER,  GUMBO_TAG_MENU,
};

template <std::size_t N>
bool contains(const std::array<GumboTag, N>& tags, GumboTag tag) {
  return std::find(tags.begin(), tags.end(), tag) != tags.end();
}

}  // namespace

std::string_view capped_input(std::string_view html, const HtmlLimits& limits) {
  std::size_t cut = std::min(html.size(), limits.max_input_bytes);
  // Do not split a UTF-8 sequence: back up to its lead byte and leave the whole sequence out.
  if (cut < html.size()) {
    while (cut > 0 && (static_cast<unsigned char>(html[cut]) & 0xC0) == 0x80) --cut;
  }
  std::size_t tags = 0;
  for (std::size_t i = 0; i < cut; ++i) {
    if (html[i] == '<' && ++tags > limits.max_tags) {
      cut = i;
      break;
    }
  }
  return html.substr(0, cut);
}

HtmlFragment::HtmlFragment(std::string_view html, const HtmlLimits& limits) {
  const std::string_view input = capped_input(html, limits);
  if (open_formatting_peak(input) <= limits.max_open_formatting && parse(input, limits)) return;
  // Refused: the text alone parses into text nodes only, linear in the input.
  refused_ = true;
  text_only_ = text_without_tags(input);
  parse(text_only_, limits);
}

HtmlFragment::~HtmlFragment() = default;  // the arena frees all of Gumbo's output

bool HtmlFragment::parse(std::string_view input, const HtmlLimits& limits) {
  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 0;  // we never read the parse errors; do not let them pile up
  options.fragment_context = GUMBO_TAG_DIV;
  options.fragment_namespace = GUMBO_NAMESPACE_HTML;
  arena_.reset();  // an abandoned parse's memory goes before the next one starts
  arena_ = std::make_unique<ParseArena>(1024 + limits.parse_allocations_per_byte * input.size(),
                                        64 * 1024 + limits.parse_bytes_per_byte * input.size());
  output_ = arena_->parse(options, input);
  work_.allocations += arena_->work().allocations;
  work_.bytes += arena_->work().bytes;
  return output_ != nullptr;
}

const GumboVector& HtmlFragment::nodes() const {
  // Text without tags always fits its budget; an empty fragment if it ever did not.
  return output_ != nullptr ? children_of(*output_->root) : kGumboEmptyVector;
}

bool drops_with_content(const GumboNode& element) {
  if (element.type == GUMBO_NODE_TEMPLATE) return true;
  if (element.type != GUMBO_NODE_ELEMENT) return false;
  return element.v.element.tag_namespace != GUMBO_NAMESPACE_HTML ||
         contains(kDroppedWithContent, element.v.element.tag);
}

bool is_block(GumboTag tag) {
  return contains(kBlocks, tag);
}

const GumboVector& children_of(const GumboNode& element) {
  return element.type == GUMBO_NODE_DOCUMENT ? element.v.document.children
                                             : element.v.element.children;
}

}  // namespace civicpub::federation::text
