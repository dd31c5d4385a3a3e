#include "federation/text/entities.hpp"

#include "federation/text/unicode.hpp"

#include <algorithm>
#include <array>

namespace civicpub::federation::text {
namespace {

constexpr std::size_t kMaxPortDigits = 5;

bool is_ascii_alnum(char32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

char32_t ascii_lower_cp(char32_t c) {
  return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

bool starts_with_ci(std::u32string_view line, std::size_t i, std::u32string_view prefix) {
  if (line.size() - i < prefix.size()) return false;
  for (std::size_t k = 0; k < prefix.size(); ++k) {
    if (ascii_lower_cp(line[i + k]) != prefix[k]) return false;
  }
  return true;
}

bool is_url_char(char32_t c) {
  if (c <= 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0)) return false;
  if (c == '<' || c == '>' || c == '"') return false;
  return !is_space(c);
}

// Opening and closing brackets in a link, kept up to date while its end is trimmed, so that
// trimming a run of closers costs one pass, not one count per closer.
struct Brackets {
  std::array<std::size_t, 6> count{};  // ( ) [ ] { }
  static constexpr std::u32string_view kChars = U"()[]{}";

  void add(char32_t c) {
    const std::size_t k = kChars.find(c);
    if (k != std::u32string_view::npos) ++count[k];
  }
  void remove(char32_t c) {
    const std::size_t k = kChars.find(c);
    if (k != std::u32string_view::npos) --count[k];
  }
  // `c` closes a bracket that the link never opened: it is punctuation after the link.
  bool unbalanced_closer(char32_t c) const {
    const std::size_t k = kChars.find(c);
    return k != std::u32string_view::npos && k % 2 == 1 && count[k] > count[k - 1];
  }
};

std::optional<Entity> url_at(std::u32string_view line, std::size_t i) {
  const char32_t prev = i > 0 ? line[i - 1] : U' ';
  if (is_word_char(prev) || prev == '@' || prev == '#' || prev == '$' || prev == '/') {
    return std::nullopt;
  }
  std::size_t j = i;
  if (starts_with_ci(line, i, U"https://")) {
    j += 8;
  } else if (starts_with_ci(line, i, U"http://")) {
    j += 7;
  } else {
    return std::nullopt;
  }
  const std::size_t host_at = j;
  // The host must start with a letter or digit: "https://" alone or "https:///x" is no link.
  // Checked before scanning, so that many "https://." in one line cost no scan each.
  if (j >= line.size() || !is_word_char(line[host_at]) || line[host_at] == '_') {
    return std::nullopt;
  }
  Brackets brackets;
  while (j < line.size() && is_url_char(line[j])) brackets.add(line[j++]);
  while (j > host_at) {
    const char32_t last = line[j - 1];
    if (std::u32string_view(U".,:;!?'\"*").find(last) != std::u32string_view::npos ||
        brackets.unbalanced_closer(last)) {
      brackets.remove(last);
      --j;
    } else {
      break;
    }
  }
  return Entity{Entity::Kind::url, i, j, 0};
}

// [i, result) is a run of `ok` characters with inner separators, ending on a non-separator.
template <typename Ok>
std::size_t dotted_run(std::u32string_view line, std::size_t i, Ok ok) {
  std::size_t j = i;
  if (j >= line.size() || !ok(line[j])) return i;
  while (j < line.size() && (ok(line[j]) || line[j] == '.' || line[j] == '-')) ++j;
  while (j > i && (line[j - 1] == '.' || line[j - 1] == '-')) --j;
  return j;
}

std::optional<Entity> mention_at(std::u32string_view line, std::size_t i) {
  const char32_t prev = i > 0 ? line[i - 1] : U' ';
  if (is_word_char(prev) || prev == '=' || prev == '/') return std::nullopt;
  const auto username_char = [](char32_t c) { return is_ascii_alnum(c) || c == '_'; };
  const std::size_t user_end = dotted_run(line, i + 1, username_char);
  if (user_end == i + 1) return std::nullopt;
  Entity e{Entity::Kind::mention, i, user_end, user_end};
  if (user_end < line.size() && line[user_end] == '@') {
    const std::size_t domain_end = dotted_run(line, user_end + 1, is_word_char);
    if (domain_end > user_end + 1) {
      e.end = domain_end;
      std::size_t k = domain_end + 1;
      while (k < line.size() && k - domain_end <= kMaxPortDigits && line[k] >= '0' &&
             line[k] <= '9') {
        ++k;
      }
      const bool port = domain_end < line.size() && line[domain_end] == ':' && k > domain_end + 1 &&
                        (k == line.size() || !is_word_char(line[k]));
      if (port) e.end = k;
    }
  }
  return e;
}

std::optional<Entity> hashtag_at(std::u32string_view line, std::size_t i) {
  const char32_t prev = i > 0 ? line[i - 1] : U' ';
  if (is_word_char(prev) || prev == '=' || prev == '/' || prev == ')') return std::nullopt;
  std::size_t j = i + 1;
  bool has_letter = false;
  while (j < line.size() && is_word_char(line[j])) {
    has_letter = has_letter || is_letter(line[j]);
    ++j;
  }
  if (!has_letter) return std::nullopt;
  return Entity{Entity::Kind::hashtag, i, j, 0};
}

}  // namespace

std::optional<Entity> entity_at(std::u32string_view line, std::size_t i) {
  if (i >= line.size()) return std::nullopt;
  switch (line[i]) {
    case '@': return mention_at(line, i);
    case '#': return hashtag_at(line, i);
    case 'h':
    case 'H': return url_at(line, i);
    default: return std::nullopt;
  }
}

}  // namespace civicpub::federation::text
