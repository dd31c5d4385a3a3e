// The little Unicode the composer needs: UTF-8 decoding and a "word character" test close to
// Ruby's [[:word:]], which Mastodon's mention and hashtag patterns use. Debian's stack here has
// no ICU in our dependency list, so word characters are approximated by excluding the blocks of
// punctuation, symbols, spaces and emoji; everything else outside ASCII counts as a letter.
#pragma once

#include <string>
#include <string_view>

namespace civicpub::federation::text {

// Decodes UTF-8. Invalid or overlong sequences, surrogates and code points past U+10FFFF
// become U+FFFD one byte at a time, so the composer never emits invalid UTF-8.
std::u32string decode_utf8(std::string_view bytes);

void append_utf8(std::string& out, char32_t code_point);
std::string encode_utf8(std::u32string_view code_points);

// Letters, marks, digits and underscore (approximated outside ASCII, see above).
bool is_word_char(char32_t c) noexcept;

// A word character that is not a digit or underscore: what makes "#tag" a tag and "#123" not.
bool is_letter(char32_t c) noexcept;

// Whitespace, including Unicode spaces (no-break space, ideographic space, ...).
bool is_space(char32_t c) noexcept;

// ASCII lower-casing; host names and the ASCII part of tags compare case-insensitively.
std::string ascii_lower(std::string_view s);

}  // namespace civicpub::federation::text
