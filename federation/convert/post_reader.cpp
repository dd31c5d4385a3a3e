#include "federation/convert/post_reader.hpp"

#include "federation/as2/error.hpp"
#include "federation/as2/reader.hpp"
#include "federation/as2/time_format.hpp"

#include <algorithm>
#include <array>
#include <cstdint>

namespace civicpub::federation::convert {
using namespace as2;
namespace {

using rapidjson::Value;

constexpr std::array<std::string_view, 4> kPostTypes = {"Note", "Question", "Article", "Page"};
constexpr std::array<std::string_view, 4> kAttachmentTypes = {"Document", "Image", "Video",
                                                              "Audio"};

std::string_view view_of(const Value& v) {
  return {v.GetString(), v.GetStringLength()};
}

// A member that is a non-empty string (the first string of an array), else nothing.
std::optional<std::string> member_string(const Value& object, std::string_view name) {
  const Value* v = find_member(object, name);
  if (!v) return std::nullopt;
  auto s = string_or_first(*v);
  if (s && s->empty()) return std::nullopt;
  return s;
}

// The first string in a language map (`nameMap`, `summaryMap`).
std::optional<std::string> first_in_map(const Value& object, std::string_view name) {
  const Value* map = find_member(object, name);
  if (!map || !map->IsObject()) return std::nullopt;
  for (const auto& m : map->GetObject()) {
    if (m.value.IsString() && m.value.GetStringLength() > 0) return std::string(view_of(m.value));
  }
  return std::nullopt;
}

// The first post type the object declares; `type` may be an array (["Note", "Hashtag"]).
std::optional<std::string> post_type_of(const Value& object) {
  const Value* type = find_member(object, "type");
  if (!type) return std::nullopt;
  if (type->IsString()) {
    if (is_post_type(view_of(*type))) return std::string(view_of(*type));
    return std::nullopt;
  }
  if (type->IsArray()) {
    for (const auto& t : type->GetArray()) {
      if (t.IsString() && is_post_type(view_of(t))) return std::string(view_of(t));
    }
  }
  return std::nullopt;
}

bool is_html(std::string_view media_type) {
  return media_type.substr(0, 9) == "text/html";
}

struct Href {
  std::string href;
  std::string media_type;
};

// One entry of a `url`: a string, or a Link object with `href` (some servers write the link as
// an object with only `id`).
std::optional<Href> href_of(const Value& v) {
  if (v.IsString()) {
    if (v.GetStringLength() == 0) return std::nullopt;
    return Href{std::string(view_of(v)), {}};
  }
  if (!v.IsObject()) return std::nullopt;
  auto href = member_string(v, "href");
  if (!href) href = member_id(v, "id");
  if (!href) return std::nullopt;
  return Href{std::move(*href), member_string(v, "mediaType").value_or("")};
}

// The `url` to keep: a string, a Link, or an array of either. Preference goes to the entry whose
// mediaType passes `preferred` (PeerTube lists its HTML page next to video streams), else the
// first entry with an href.
template <class Pred>
std::optional<Href> pick_url(const Value* url, Pred preferred) {
  if (!url) return std::nullopt;
  if (!url->IsArray()) return href_of(*url);
  std::optional<Href> first;
  for (const auto& element : url->GetArray()) {
    auto h = href_of(element);
    if (!h) continue;
    if (preferred(h->media_type)) return h;
    if (!first) first = std::move(h);
  }
  return first;
}

// Calls `each` with every object in a member that may be one object or an array of them.
template <class Fn>
void for_each_object(const Value& object, std::string_view name, Fn each) {
  const Value* v = find_member(object, name);
  if (!v) return;
  if (v->IsObject()) {
    each(*v);
  } else if (v->IsArray()) {
    for (const auto& element : v->GetArray()) {
      if (element.IsObject()) each(element);
    }
  }
}

// Hashtag names arrive as "#Town" (Mastodon, Misskey) or "town" (some others); stored without
// the '#' and lowercased (ASCII only: case folding of other scripts is left as sent).
std::string hashtag_name(std::string name) {
  if (!name.empty() && name.front() == '#') name.erase(0, 1);
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) {
    return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : char(c);
  });
  return name;
}

void read_tags(const Value& object, RemotePost& post) {
  for_each_object(object, "tag", [&](const Value& tag) {
    if (has_type(tag, "Mention")) {
      auto href = member_string(tag, "href");
      if (!href) return;
      const bool seen = std::any_of(post.mentions.begin(), post.mentions.end(),
                                    [&](const auto& m) { return m.actor_uri == *href; });
      if (!seen)
        post.mentions.push_back({std::move(*href), member_string(tag, "name").value_or("")});
    } else if (has_type(tag, "Hashtag")) {
      auto name = hashtag_name(member_string(tag, "name").value_or(""));
      if (name.empty()) return;
      const bool seen = std::any_of(post.hashtags.begin(), post.hashtags.end(),
                                    [&](const auto& h) { return h.name == name; });
      if (!seen)
        post.hashtags.push_back({std::move(name), member_string(tag, "href").value_or("")});
    }
  });
}

std::optional<std::int64_t> positive_int(const Value& object, std::string_view name) {
  const Value* v = find_member(object, name);
  if (!v || !v->IsInt64() || v->GetInt64() <= 0) return std::nullopt;
  return v->GetInt64();
}

std::optional<storage::AttachmentRecord> read_attachment(const Value& entry) {
  const auto type = first_type(entry);
  if (!type || std::find(kAttachmentTypes.begin(), kAttachmentTypes.end(), *type) ==
                   kAttachmentTypes.end()) {
    return std::nullopt;  // Mastodon's preview card and Lemmy's link are `Link`s, not media
  }
  auto media_type = member_string(entry, "mediaType").value_or("");
  auto url = pick_url(find_member(entry, "url"),
                      [&](std::string_view mt) { return !media_type.empty() && mt == media_type; });
  if (!url) return std::nullopt;
  storage::AttachmentRecord a;
  a.type = *type;
  a.media_type = media_type.empty() ? url->media_type : media_type;
  a.url = std::move(url->href);
  // Mastodon reads the description from `summary` first, then `name`; Friendica puts the file
  // name in `name` and the description in `summary`.
  a.name = member_string(entry, "summary").value_or(member_string(entry, "name").value_or(""));
  a.width = positive_int(entry, "width");
  a.height = positive_int(entry, "height");
  a.blurhash = member_string(entry, "blurhash").value_or("");
  return a;
}

void read_attachments(const Value& object, RemotePost& post) {
  for_each_object(object, "attachment", [&](const Value& entry) {
    if (auto a = read_attachment(entry)) post.attachments.push_back(std::move(*a));
  });
}

// `content` with the contentMap language that matches it (Mastodon writes both, identical), or
// the first contentMap entry when `content` is absent.
void read_content(const Value& object, RemotePost& post) {
  const Value* content = find_member(object, "content");
  const Value* map = find_member(object, "contentMap");
  const bool has_content = content && content->IsString();
  if (has_content) post.content_html = std::string(view_of(*content));
  if (!map || !map->IsObject()) return;
  for (const auto& m : map->GetObject()) {
    if (!m.value.IsString()) continue;
    if (!has_content) {
      post.content_html = std::string(view_of(m.value));
      post.language = std::string(view_of(m.name));
      return;
    }
    if (view_of(m.value) == view_of(*content)) {
      post.language = std::string(view_of(m.name));
      return;
    }
  }
}

// A date member: nothing when absent, DocumentError::bad_date when present but unreadable.
Result<std::optional<Millis>> read_date(const Value& object, std::string_view name) {
  const Value* v = find_member(object, name);
  if (!v || v->IsNull()) return std::optional<Millis>{};
  const auto text = string_or_first(*v);
  if (!text) return make_error_code(DocumentError::bad_date);
  auto at = parse_iso8601(*text);
  if (!at) return at.error();
  return std::optional<Millis>{*at};
}

}  // namespace

bool is_post_type(std::string_view type) {
  return std::find(kPostTypes.begin(), kPostTypes.end(), type) != kPostTypes.end();
}

Result<RemotePost> read_post(const Value& object) {
  if (!object.IsObject()) return make_error_code(DocumentError::not_an_object);
  RemotePost post;
  auto id = member_id(object, "id");
  if (!id) return make_error_code(DocumentError::missing_id);
  auto type = post_type_of(object);
  if (!type) return make_error_code(DocumentError::missing_type);
  post.id = std::move(*id);
  post.type = std::move(*type);
  post.attributed_to = author_of(object).value_or("");
  read_content(object, post);
  if (post.type != "Note") {
    post.name =
        member_string(object, "name").value_or(first_in_map(object, "nameMap").value_or(""));
  }
  post.summary = member_string(object, "summary");
  if (!post.summary) post.summary = first_in_map(object, "summaryMap");
  const Value* sensitive = find_member(object, "sensitive");
  post.sensitive = sensitive && sensitive->IsBool() && sensitive->GetBool();

  auto published = read_date(object, "published");
  if (!published) return published.error();
  post.published = published->value_or(0);
  // An unreadable `updated` costs only the edit mark, not the post.
  if (auto updated = read_date(object, "updated")) post.updated = *updated;

  if (auto url = pick_url(find_member(object, "url"), is_html)) post.url = std::move(url->href);
  post.in_reply_to = member_id(object, "inReplyTo");
  post.context = member_id(object, "context");
  post.to = member_ids(object, "to");
  post.cc = member_ids(object, "cc");
  read_tags(object, post);
  read_attachments(object, post);
  return post;
}

Visibility visibility_of(const RemotePost& post, std::string_view author_followers) {
  auto contains_public = [](const std::vector<std::string>& list) {
    return std::any_of(list.begin(), list.end(), [](const auto& a) { return is_public(a); });
  };
  if (contains_public(post.to)) return Visibility::public_;
  if (contains_public(post.cc)) return Visibility::unlisted;
  if (!author_followers.empty()) {
    auto is_followers = [&](const std::string& a) { return a == author_followers; };
    if (std::any_of(post.to.begin(), post.to.end(), is_followers) ||
        std::any_of(post.cc.begin(), post.cc.end(), is_followers)) {
      return Visibility::followers;
    }
  }
  return Visibility::direct;
}

}  // namespace civicpub::federation::convert
