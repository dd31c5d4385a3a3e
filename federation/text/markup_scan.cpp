#include "federation/text/markup_scan.hpp"

#include <algorithm>
#include <array>

namespace civicpub::federation::text {
namespace {

constexpr std::size_t kMaxNameChars = 16;  // longer names are none we look for

constexpr std::array<std::string_view, 14> kFormatting = {
    "a",    "b", "big",   "code",   "em",     "font", "i",
    "nobr", "s", "small", "strike", "strong", "tt",   "u"};

// Elements whose content the tokenizer reads as raw text up to their end tag.
constexpr std::array<std::string_view, 8> kRawText = {"script", "style",  "textarea", "title",
                                                      "xmp",    "iframe", "noembed",  "noframes"};

constexpr std::array<std::string_view, 21> kBreaks = {
    "p",  "div", "br", "li", "ul", "ol", "blockquote", "pre",     "h1",      "h2",    "h3",
    "h4", "h5",  "h6", "tr", "td", "th", "table",      "section", "article", "header"};

bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

template <std::size_t N>
std::size_t index_in(const std::array<std::string_view, N>& names, std::string_view name) {
  return static_cast<std::size_t>(std::find(names.begin(), names.end(), name) - names.begin());
}

struct Token {
  enum class Kind { text, start_tag, end_tag, raw_text, other };
  Kind kind = Kind::other;
  std::string_view text;  // text and raw_text only
  std::string name;       // tags only: lower case, at most kMaxNameChars
};

// The tokenizer of HTML5 reduced to what the scans need; every step moves forward.
class Tokenizer {
 public:
  explicit Tokenizer(std::string_view html) : s_(html) {}

  bool next(Token& t) {
    if (i_ >= s_.size()) return false;
    if (!raw_end_.empty()) return raw(t);
    if (!starts_markup(i_)) return text(t);
    const char c = s_[i_ + 1];
    if (is_alpha(c)) return tag(t, Token::Kind::start_tag, i_ + 1);
    if (c == '/' && i_ + 2 < s_.size() && is_alpha(s_[i_ + 2])) {
      return tag(t, Token::Kind::end_tag, i_ + 2);
    }
    t = Token{};
    const bool comment = s_.compare(i_, 4, "<!--") == 0;
    const std::size_t close = comment ? s_.find("-->", i_ + 4) : s_.find('>', i_ + 1);
    i_ = close == std::string_view::npos ? s_.size() : close + (comment ? 3 : 1);
    return true;
  }

 private:
  // '<' followed by a letter, '/', '!' or '?' starts markup; any other '<' is text.
  bool starts_markup(std::size_t at) const {
    if (at + 1 >= s_.size() || s_[at] != '<') return false;
    const char c = s_[at + 1];
    return is_alpha(c) || c == '/' || c == '!' || c == '?';
  }

  bool text(Token& t) {
    std::size_t j = i_ + 1;
    while (j < s_.size() && !starts_markup(j)) ++j;
    t = Token{Token::Kind::text, s_.substr(i_, j - i_), {}};
    i_ = j;
    return true;
  }

  bool tag(Token& t, Token::Kind kind, std::size_t name_at) {
    t = Token{kind, {}, {}};
    std::size_t j = name_at;
    while (j < s_.size() && s_[j] != '>' && s_[j] != '/' && s_[j] != ' ' && s_[j] != '\t' &&
           s_[j] != '\n' && s_[j] != '\f' && s_[j] != '\r') {
      if (t.name.size() <= kMaxNameChars) t.name += ascii_lower(s_[j]);
      ++j;
    }
    // Attributes: a quoted value after '=' may hold '>'.
    char quote = 0;
    bool after_equals = false;
    for (; j < s_.size(); ++j) {
      const char c = s_[j];
      if (quote != 0) {
        if (c == quote) quote = 0;
      } else if (c == '>') {
        break;
      } else if ((c == '"' || c == '\'') && after_equals) {
        quote = c;
      }
      if (c != ' ' && c != '\t' && c != '\n') after_equals = c == '=';
    }
    i_ = std::min(j + 1, s_.size());
    if (kind == Token::Kind::start_tag && index_in(kRawText, t.name) < kRawText.size()) {
      raw_end_ = t.name;
    }
    return true;
  }

  // Raw text runs to "</name" in any case.
  bool raw(Token& t) {
    std::size_t j = i_;
    for (; j < s_.size(); ++j) {
      if (s_[j] != '<' || j + 1 >= s_.size() || s_[j + 1] != '/') continue;
      const std::string_view rest = s_.substr(j + 2, raw_end_.size());
      bool same = rest.size() == raw_end_.size();
      for (std::size_t k = 0; same && k < rest.size(); ++k)
        same = ascii_lower(rest[k]) == raw_end_[k];
      if (same) break;
    }
    t = Token{Token::Kind::raw_text, s_.substr(i_, j - i_), {}};
    raw_end_.clear();
    i_ = j;
    return true;
  }

  std::string_view s_;
  std::size_t i_ = 0;
  std::string raw_end_;  // the raw text element we are in, if any
};

}  // namespace

std::size_t open_formatting_peak(std::string_view html) {
  std::array<std::size_t, kFormatting.size()> open{};
  std::size_t total = 0;
  std::size_t peak = 0;
  Tokenizer tokens(html);
  Token t;
  while (tokens.next(t)) {
    if (t.kind != Token::Kind::start_tag && t.kind != Token::Kind::end_tag) continue;
    const std::size_t k = index_in(kFormatting, t.name);
    if (k == kFormatting.size()) continue;
    if (t.kind == Token::Kind::start_tag) {
      ++open[k];
      peak = std::max(peak, ++total);
    } else if (open[k] > 0) {
      --open[k];
      --total;
    }
  }
  return peak;
}

std::string text_without_tags(std::string_view html) {
  std::string out;
  Tokenizer tokens(html);
  Token t;
  while (tokens.next(t)) {
    switch (t.kind) {
      case Token::Kind::text:
        for (const char c : t.text) {
          if (c == '<') {
            out += "&lt;";
          } else {
            out += c;
          }
        }
        break;
      case Token::Kind::start_tag:
      case Token::Kind::end_tag:
        if (index_in(kBreaks, t.name) < kBreaks.size()) out += ' ';
        break;
      default: break;
    }
  }
  return out;
}

}  // namespace civicpub::federation::text
