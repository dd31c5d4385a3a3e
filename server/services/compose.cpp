#include "server/services/compose.hpp"

#include "federation/text/entities.hpp"
#include "federation/text/html_escape.hpp"
#include "federation/text/unicode.hpp"

#include <algorithm>
#include <unordered_set>

namespace civicpub::server::services {

// Composing is text work built on federation/text: entities, UTF-8, the one escaper.
using namespace federation::text;
namespace {

constexpr std::string_view kLinkAttributes =
    R"( rel="nofollow noopener noreferrer" target="_blank")";
// Mastodon shows at most 30 characters of a link after the scheme and "www.", and hides the
// rest in an "invisible" span so copying the text still copies the whole URL.
constexpr std::size_t kDisplayedUrlChars = 30;

using Lines = std::vector<std::u32string_view>;

// Paragraphs are separated by blank (whitespace-only) lines; CR LF and CR count as LF.
std::vector<Lines> split_paragraphs(std::u32string_view text) {
  std::vector<Lines> paragraphs;
  Lines current;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t stop = text.find_first_of(U"\r\n", start);
    if (stop == std::u32string_view::npos) stop = text.size();
    const std::u32string_view line = text.substr(start, stop - start);
    if (std::all_of(line.begin(), line.end(), is_space)) {
      if (!current.empty()) paragraphs.push_back(std::move(current));
      current.clear();
    } else {
      current.push_back(line);
    }
    if (stop + 1 < text.size() && text[stop] == '\r' && text[stop + 1] == '\n') ++stop;
    start = stop + 1;
  }
  if (!current.empty()) paragraphs.push_back(std::move(current));
  return paragraphs;
}

MentionRef mention_ref(std::u32string_view line, const Entity& e, std::string_view local_domain) {
  MentionRef ref;
  ref.username = encode_utf8(line.substr(e.begin + 1, e.domain_at - e.begin - 1));
  if (e.domain_at < e.end) {
    ref.domain = ascii_lower(encode_utf8(line.substr(e.domain_at + 1, e.end - e.domain_at - 1)));
    if (ref.domain == ascii_lower(local_domain)) ref.domain.clear();
  }
  ref.handle = encode_utf8(line.substr(e.begin, e.end - e.begin));
  return ref;
}

// Distinct mentions in order of first appearance. A set remembers what is in the list, so a
// post of thousands of mentions costs no search of the list per mention.
class MentionList {
 public:
  explicit MentionList(std::vector<MentionRef>& list) : list_(list) {}
  void add(const MentionRef& ref) {
    // The same account: the same domain, the username in any case.
    if (seen_.insert(ref.domain + '@' + ascii_lower(ref.username)).second) list_.push_back(ref);
  }

 private:
  std::vector<MentionRef>& list_;
  std::unordered_set<std::string> seen_;
};

// Tag names go into a path segment: letters, digits and '_' stay, the rest is percent-encoded
// (non-ASCII tags become %XX sequences of their UTF-8, as Rails' URL helpers produce them).
std::string tag_path_segment(std::string_view tag) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : tag) {
    const auto b = static_cast<unsigned char>(c);
    if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '_') {
      out += c;
    } else {
      out += '%';
      out += kHex[b >> 4];
      out += kHex[b & 0x0F];
    }
  }
  return out;
}

// "http://" or "https://", plus a following "www.": the part Mastodon hides from view.
std::size_t display_prefix(std::u32string_view url) {
  std::size_t prefix = url[4] == ':' ? 7 : 8;
  constexpr std::u32string_view kWww = U"www.";
  if (url.size() <= prefix + kWww.size()) return prefix;
  for (std::size_t k = 0; k < kWww.size(); ++k) {
    const char32_t c = url[prefix + k];
    if ((c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c) != kWww[k]) return prefix;
  }
  return prefix + kWww.size();
}

class Composer {
 public:
  explicit Composer(const ComposeOptions& options) : options_(options) {}

  void paragraph(const Lines& lines) {
    out_.html += "<p>";
    for (std::size_t k = 0; k < lines.size(); ++k) {
      if (k > 0) out_.html += "<br>";
      line(lines[k]);
    }
    out_.html += "</p>";
  }

  ComposedText take() { return std::move(out_); }

 private:
  void line(std::u32string_view line) {
    std::size_t i = 0;
    while (i < line.size()) {
      const std::optional<Entity> e = entity_at(line, i);
      if (!e) {
        std::string one;
        append_utf8(one, line[i]);
        append_html_escaped(out_.html, one);
        ++i;
        continue;
      }
      switch (e->kind) {
        case Entity::Kind::url: link(line.substr(e->begin, e->end - e->begin)); break;
        case Entity::Kind::mention: mention(mention_ref(line, *e, options_.local_domain)); break;
        case Entity::Kind::hashtag:
          hashtag(encode_utf8(line.substr(e->begin + 1, e->end - e->begin - 1)));
          break;
      }
      i = e->end;
    }
  }

  void link(std::u32string_view url) {
    const std::size_t prefix = display_prefix(url);
    const std::u32string_view rest = url.substr(prefix);
    const bool cut = rest.size() > kDisplayedUrlChars;
    auto& h = out_.html;
    h += "<a href=\"";
    append_html_escaped(h, encode_utf8(url));
    h += '"';
    h += kLinkAttributes;
    h += "><span class=\"invisible\">";
    append_html_escaped(h, encode_utf8(url.substr(0, prefix)));
    h += cut ? "</span><span class=\"ellipsis\">" : "</span><span>";
    append_html_escaped(h, encode_utf8(rest.substr(0, kDisplayedUrlChars)));
    h += "</span><span class=\"invisible\">";
    if (cut) append_html_escaped(h, encode_utf8(rest.substr(kDisplayedUrlChars)));
    h += "</span></a>";
  }

  void mention(const MentionRef& ref) {
    mentions_.add(ref);
    std::optional<MentionTarget> target;
    if (options_.resolve_mention) target = options_.resolve_mention(ref);
    if (!target) {
      unresolved_.add(ref);
      append_html_escaped(out_.html, ref.handle);
      return;
    }
    const std::string name =
        "@" + ref.username + "@" + (ref.domain.empty() ? options_.local_domain : ref.domain);
    if (tagged_actors_.insert(target->actor_id).second) {
      out_.tags.push_back({federation::as2::NoteTag::Kind::mention, target->actor_id, name});
    }
    auto& h = out_.html;
    h += R"(<span class="h-card"><a href=")";
    append_html_escaped(h, target->profile_url);
    h += R"(" class="u-url mention">@<span>)";
    append_html_escaped(h, ref.username);
    h += "</span></a></span>";
  }

  void hashtag(const std::string& tag) {
    const std::string href = options_.base_url + "/tags/" + tag_path_segment(tag);
    if (hashtags_seen_.insert(ascii_lower(tag)).second) {
      out_.hashtags.push_back(tag);
      out_.tags.push_back({federation::as2::NoteTag::Kind::hashtag, href, "#" + tag});
    }
    auto& h = out_.html;
    h += "<a href=\"";
    append_html_escaped(h, href);
    h += R"(" class="mention hashtag" rel="tag">#<span>)";
    append_html_escaped(h, tag);
    h += "</span></a>";
  }

  const ComposeOptions& options_;
  ComposedText out_;
  MentionList mentions_{out_.mentions};
  MentionList unresolved_{out_.unresolved};
  std::unordered_set<std::string> tagged_actors_;
  std::unordered_set<std::string> hashtags_seen_;
};

}  // namespace

std::vector<MentionRef> extract_mentions(std::string_view text, std::string_view local_domain) {
  const std::u32string decoded = decode_utf8(text);
  std::vector<MentionRef> mentions;
  MentionList distinct(mentions);
  for (const Lines& lines : split_paragraphs(decoded)) {
    for (const std::u32string_view line : lines) {
      std::size_t i = 0;
      while (i < line.size()) {
        const std::optional<Entity> e = entity_at(line, i);
        if (!e) {
          ++i;
          continue;
        }
        if (e->kind == Entity::Kind::mention) {
          distinct.add(mention_ref(line, *e, local_domain));
        }
        i = e->end;
      }
    }
  }
  return mentions;
}

ComposedText compose_plain_text(std::string_view text, const ComposeOptions& options) {
  const std::u32string decoded = decode_utf8(text);
  Composer composer(options);
  for (const Lines& lines : split_paragraphs(decoded)) composer.paragraph(lines);
  return composer.take();
}

}  // namespace civicpub::server::services
