// A cheap pass over untrusted markup before it reaches the HTML5 parser: a tokenizer that only
// knows tags, comments and the raw text of <script> and <style>, linear in the input.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace civicpub::federation::text {

// The most formatting elements (a, b, big, code, em, font, i, nobr, s, small, strike, strong,
// tt, u) open at once, counting a start tag as open until an end tag of the same name. The
// HTML5 parser re-opens every open formatting element in each new block ("reconstruct the
// active formatting elements"), so the tree it builds grows with this number times the number
// of blocks. An estimate: an end tag the parser ignores still counts as closing here, which is
// why the parse also runs within a budget (ParseArena).
std::size_t open_formatting_peak(std::string_view html);

// The text of the markup without any tag, for when the markup is refused: tags and comments
// removed, the content of <script> and <style> too, a space for each tag of a block or <br>,
// and every other '<' written as "&lt;" so that parsing the result builds text nodes only
// (character references are decoded by that parse, as they would have been).
std::string text_without_tags(std::string_view html);

}  // namespace civicpub::federation::text
