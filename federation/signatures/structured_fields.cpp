#include "federation/signatures/structured_fields.hpp"

#include "federation/crypto/base64.hpp"

#include <charconv>
#include <cstdio>

namespace civicpub::federation::signatures::sf {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_lcalpha(char c) {
  return c >= 'a' && c <= 'z';
}
bool is_alpha(char c) {
  return is_lcalpha(c) || (c >= 'A' && c <= 'Z');
}
bool is_tchar(char c) {
  return is_alpha(c) || is_digit(c) ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// A cursor over the field text; every parse_* returns nullopt on a syntax error.
class Parser {
 public:
  explicit Parser(std::string_view text) : s_(text) {}

  bool at_end() const { return i_ >= s_.size(); }
  char peek() const { return at_end() ? '\0' : s_[i_]; }
  void skip_sp() {
    while (peek() == ' ') ++i_;
  }
  void skip_ows() {
    while (peek() == ' ' || peek() == '\t') ++i_;
  }
  bool consume(char c) {
    if (peek() != c) return false;
    ++i_;
    return true;
  }

  std::optional<std::string> parse_key() {
    if (!is_lcalpha(peek()) && peek() != '*') return std::nullopt;
    size_t start = i_;
    while (!at_end() && (is_lcalpha(peek()) || is_digit(peek()) ||
                         std::string_view("_-.*").find(peek()) != std::string_view::npos)) {
      ++i_;
    }
    return std::string(s_.substr(start, i_ - start));
  }

  std::optional<BareItem> parse_bare_item() {
    char c = peek();
    if (c == '-' || is_digit(c)) return parse_number();
    if (c == '"') return wrap(parse_string());
    if (c == '*' || is_alpha(c)) return wrap(parse_token());
    if (c == ':') return wrap(parse_bytes());
    if (c == '?') return wrap(parse_boolean());
    return std::nullopt;
  }

  std::optional<Parameters> parse_parameters() {
    Parameters params;
    while (consume(';')) {
      skip_sp();
      auto key = parse_key();
      if (!key) return std::nullopt;
      BareItem value = true;
      if (consume('=')) {
        auto v = parse_bare_item();
        if (!v) return std::nullopt;
        value = std::move(*v);
      }
      set(params, std::move(*key), std::move(value));
    }
    return params;
  }

  std::optional<Item> parse_item() {
    auto v = parse_bare_item();
    if (!v) return std::nullopt;
    auto p = parse_parameters();
    if (!p) return std::nullopt;
    return Item{std::move(*v), std::move(*p)};
  }

  std::optional<InnerList> parse_inner_list() {
    if (!consume('(')) return std::nullopt;
    InnerList list;
    while (!at_end()) {
      skip_sp();
      if (consume(')')) {
        auto p = parse_parameters();
        if (!p) return std::nullopt;
        list.params = std::move(*p);
        return list;
      }
      auto item = parse_item();
      if (!item) return std::nullopt;
      list.items.push_back(std::move(*item));
      if (peek() != ' ' && peek() != ')') return std::nullopt;
    }
    return std::nullopt;
  }

  // Sets a key, keeping the first position (RFC 8941: a later duplicate overrides).
  template <class Vec, class V>
  static void set(Vec& vec, std::string key, V value) {
    for (auto& [k, v] : vec) {
      if (k == key) {
        v = std::move(value);
        return;
      }
    }
    vec.emplace_back(std::move(key), std::move(value));
  }

 private:
  template <class T>
  static std::optional<BareItem> wrap(std::optional<T> v) {
    if (!v) return std::nullopt;
    return BareItem(std::move(*v));
  }

  std::optional<BareItem> parse_number() {
    size_t start = i_;
    consume('-');
    size_t int_start = i_;
    while (is_digit(peek())) ++i_;
    size_t int_len = i_ - int_start;
    if (int_len == 0) return std::nullopt;
    if (peek() != '.') {
      if (int_len > 15) return std::nullopt;
      int64_t value = 0;
      std::from_chars(s_.data() + start, s_.data() + i_, value);
      return BareItem(value);
    }
    if (int_len > 12) return std::nullopt;
    ++i_;
    size_t frac_start = i_;
    while (is_digit(peek())) ++i_;
    size_t frac_len = i_ - frac_start;
    if (frac_len == 0 || frac_len > 3) return std::nullopt;
    double value = std::stod(std::string(s_.substr(start, i_ - start)));
    return BareItem(Decimal{value});
  }

  std::optional<std::string> parse_string() {
    if (!consume('"')) return std::nullopt;
    std::string out;
    while (!at_end()) {
      char c = s_[i_++];
      if (c == '\\') {
        if (at_end()) return std::nullopt;
        char n = s_[i_++];
        if (n != '"' && n != '\\') return std::nullopt;
        out += n;
      } else if (c == '"') {
        return out;
      } else if (c < 0x20 || c > 0x7e) {
        return std::nullopt;
      } else {
        out += c;
      }
    }
    return std::nullopt;
  }

  std::optional<Token> parse_token() {
    size_t start = i_;
    ++i_;
    while (!at_end() && (is_tchar(peek()) || peek() == ':' || peek() == '/')) ++i_;
    return Token{std::string(s_.substr(start, i_ - start))};
  }

  std::optional<ByteSequence> parse_bytes() {
    if (!consume(':')) return std::nullopt;
    size_t end = s_.find(':', i_);
    if (end == std::string_view::npos) return std::nullopt;
    auto decoded = crypto::base64_decode(s_.substr(i_, end - i_));
    if (!decoded) return std::nullopt;
    i_ = end + 1;
    return ByteSequence{std::move(*decoded)};
  }

  std::optional<bool> parse_boolean() {
    if (!consume('?')) return std::nullopt;
    if (consume('1')) return true;
    if (consume('0')) return false;
    return std::nullopt;
  }

  std::string_view s_;
  size_t i_ = 0;
};

}  // namespace

std::optional<Dictionary> parse_dictionary(std::string_view text) {
  Parser p(text);
  p.skip_sp();
  Dictionary dict;
  while (!p.at_end()) {
    auto key = p.parse_key();
    if (!key) return std::nullopt;
    Member member;
    if (p.consume('=')) {
      if (p.peek() == '(') {
        auto list = p.parse_inner_list();
        if (!list) return std::nullopt;
        member = std::move(*list);
      } else {
        auto item = p.parse_item();
        if (!item) return std::nullopt;
        member = std::move(*item);
      }
    } else {
      auto params = p.parse_parameters();
      if (!params) return std::nullopt;
      member = Item{true, std::move(*params)};
    }
    Parser::set(dict, std::move(*key), std::move(member));
    p.skip_ows();
    if (p.at_end()) return dict;
    if (!p.consume(',')) return std::nullopt;
    p.skip_ows();
    if (p.at_end()) return std::nullopt;  // trailing comma
  }
  return dict;
}

std::string serialize(const BareItem& item) {
  struct Visitor {
    std::string operator()(int64_t v) const { return std::to_string(v); }
    std::string operator()(const Decimal& d) const {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.3f", d.value);
      std::string s = buf;
      while (s.size() > 1 && s.back() == '0' && s[s.size() - 2] != '.') s.pop_back();
      return s;
    }
    std::string operator()(const std::string& v) const {
      std::string out = "\"";
      for (char c : v) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
      }
      return out + "\"";
    }
    std::string operator()(const Token& t) const { return t.value; }
    std::string operator()(const ByteSequence& b) const {
      return ":" + crypto::base64_encode(b.bytes) + ":";
    }
    std::string operator()(bool b) const { return b ? "?1" : "?0"; }
  };
  return std::visit(Visitor{}, item);
}

std::string serialize(const Parameters& params) {
  std::string out;
  for (const auto& [key, value] : params) {
    out += ';';
    out += key;
    if (const bool* b = std::get_if<bool>(&value); b && *b) continue;  // ;key means key=?1
    out += '=';
    out += serialize(value);
  }
  return out;
}

std::string serialize(const InnerList& list) {
  std::string out = "(";
  for (size_t i = 0; i < list.items.size(); ++i) {
    if (i) out += ' ';
    out += serialize(list.items[i].value);
    out += serialize(list.items[i].params);
  }
  out += ')';
  return out + serialize(list.params);
}

const BareItem* find_param(const Parameters& params, std::string_view key) {
  for (const auto& [k, v] : params) {
    if (k == key) return &v;
  }
  return nullptr;
}

}  // namespace civicpub::federation::signatures::sf
