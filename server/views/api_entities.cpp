#include "server/views/api_entities.hpp"

#include "federation/as2/time_format.hpp"
#include "server/views/api_poll.hpp"
#include "storage/account_profile.hpp"
#include "storage/actors.hpp"
#include "storage/errors.hpp"
#include "storage/follows.hpp"
#include "storage/post_details.hpp"
#include "storage/posts.hpp"
#include "storage/reaction_lists.hpp"
#include "storage/reactions.hpp"

namespace civicpub::server::views {
namespace {

using federation::as2::JsonWriter;
using federation::as2::format_iso8601_ms;

std::string avatar_url(const ApiView& view) {
  return view.instance.base_url + std::string(kDefaultAvatarPath);
}

std::string acct_of(const storage::ActorRecord& actor) {
  return actor.local ? actor.username : actor.username + "@" + actor.domain;
}

std::string_view attachment_type(const storage::AttachmentRecord& a) {
  if (a.type == "Image" || a.media_type.starts_with("image/")) return "image";
  if (a.type == "Video" || a.media_type.starts_with("video/")) return "video";
  if (a.type == "Audio" || a.media_type.starts_with("audio/")) return "audio";
  return "unknown";
}

}  // namespace

std::string plain_text(std::string_view html) {
  std::string out;
  bool in_tag = false;
  for (std::size_t i = 0; i < html.size(); ++i) {
    const char c = html[i];
    if (in_tag) {
      if (c == '>') in_tag = false;
      continue;
    }
    if (c == '<') {
      if (html.substr(i, 4) == "</p>" && i + 4 < html.size()) out += "\n\n";
      if (html.substr(i, 3) == "<br") out += '\n';
      in_tag = true;
      continue;
    }
    out += c;
  }
  auto replace = [&out](std::string_view from, std::string_view to) {
    for (auto pos = out.find(from); pos != std::string::npos; pos = out.find(from, pos + to.size())) {
      out.replace(pos, from.size(), to);
    }
  };
  replace("&lt;", "<");
  replace("&gt;", ">");
  replace("&quot;", "\"");
  replace("&#39;", "'");
  replace("&amp;", "&");
  return out;
}

std::string_view api_visibility(storage::Visibility v) {
  switch (v) {
    case storage::Visibility::public_: return "public";
    case storage::Visibility::unlisted: return "unlisted";
    case storage::Visibility::followers: return "private";
    case storage::Visibility::direct: return "direct";
  }
  return "public";
}

std::optional<storage::Visibility> parse_api_visibility(std::string_view text) {
  if (text == "public") return storage::Visibility::public_;
  if (text == "unlisted") return storage::Visibility::unlisted;
  if (text == "private") return storage::Visibility::followers;
  if (text == "direct") return storage::Visibility::direct;
  return std::nullopt;
}

namespace {

// Mastodon's Field entities: the value as HTML in the account, as typed in its `source`.
void write_fields(JsonWriter& out, const std::vector<storage::AccountField>& fields, bool html) {
  out.key("fields");
  out.start_array();
  for (const auto& f : fields) {
    out.start_object();
    out.field("name", f.name);
    out.field("value", html ? f.value_html : f.value);
    if (html) {
      out.key("verified_at");
      out.null();
    }
    out.end_object();
  }
  out.end_array();
}

}  // namespace

Result<void> write_account(JsonWriter& out, storage::Connection& conn,
                           const storage::ActorRecord& actor, const ApiView& view,
                           bool with_source) {
  auto followers = storage::follows::count_followers(conn, actor.id);
  if (!followers) return followers.error();
  auto following = storage::follows::count_following(conn, actor.id);
  if (!following) return following.error();
  auto statuses = storage::posts::count_by_author(conn, actor.id, false);
  if (!statuses) return statuses.error();
  const std::string avatar = avatar_url(view);
  out.start_object();
  out.field("id", std::to_string(actor.id));
  out.field("username", actor.username);
  out.field("acct", acct_of(actor));
  out.field("display_name", actor.display_name);
  out.field("locked", actor.manually_approves_followers);
  out.field("bot", actor.type == "Service" || actor.type == "Application");
  out.field("discoverable", actor.discoverable);
  out.field("group", actor.type == "Group");
  out.field("indexable", actor.discoverable);
  out.field("noindex", !actor.discoverable);
  out.field("limited", false);
  out.field("created_at", format_iso8601_ms(actor.created_at));
  out.field("note", actor.summary_html);
  out.field("url", actor.url.empty() ? actor.uri : actor.url);
  out.field("uri", actor.uri);
  out.field("avatar", avatar);
  out.field("avatar_static", avatar);
  out.field("header", avatar);
  out.field("header_static", avatar);
  out.field("followers_count", *followers);
  out.field("following_count", *following);
  out.field("statuses_count", *statuses);
  out.key("last_status_at");
  out.null();
  out.key("emojis");
  out.start_array();
  out.end_array();
  // Profile fields are kept for local accounts (update_credentials); remote ones show none.
  std::vector<storage::AccountField> fields;
  if (actor.local) {
    auto stored = storage::account_profile::fields(conn, actor.id);
    if (!stored) return stored.error();
    fields = std::move(*stored);
  }
  write_fields(out, fields, true);
  if (with_source) {
    auto settings = storage::account_profile::settings(conn, actor.id);
    if (!settings) return settings.error();
    out.key("source");
    out.start_object();
    out.field("privacy", settings->privacy);
    out.field("sensitive", settings->sensitive);
    out.field("language", settings->language);
    out.field("note", plain_text(actor.summary_html));
    write_fields(out, fields, false);
    auto pending = storage::follows::pending_followers_page(conn, actor.id, 1000, 0);
    out.field("follow_requests_count",
              static_cast<std::int64_t>(pending ? pending->size() : 0));
    out.end_object();
    out.key("role");
    out.start_object();
    out.field("id", "-99");
    out.field("name", "");
    out.field("permissions", "0");
    out.field("color", "");
    out.field("highlighted", false);
    out.end_object();
  }
  out.end_object();
  return {};
}

Result<void> write_status(JsonWriter& out, storage::Connection& conn,
                          const storage::PostRecord& post, const ApiView& view) {
  auto author = storage::actors::find_by_id(conn, post.author_id);
  if (!author) return author.error();
  if (!*author) return make_error_code(storage::Errc::not_found);
  auto mentions = storage::post_details::mentions(conn, post.id);
  if (!mentions) return mentions.error();
  auto hashtags = storage::post_details::hashtags(conn, post.id);
  if (!hashtags) return hashtags.error();
  auto attachments = storage::post_details::attachments(conn, post.id);
  if (!attachments) return attachments.error();
  auto replies = storage::posts::count_replies(conn, post.ap_id, true);
  if (!replies) return replies.error();
  auto likes = storage::reactions::count(conn, post.id, storage::ReactionKind::like);
  if (!likes) return likes.error();
  auto shares = storage::reactions::count(conn, post.id, storage::ReactionKind::announce);
  if (!shares) return shares.error();
  std::optional<storage::PostRecord> parent;
  std::optional<storage::ActorRecord> parent_author;
  if (!post.in_reply_to.empty()) {
    auto p = storage::posts::find_by_ap_id(conn, post.in_reply_to);
    if (!p) return p.error();
    parent = std::move(*p);
    if (parent) {
      auto a = storage::actors::find_by_id(conn, parent->author_id);
      if (!a) return a.error();
      parent_author = std::move(*a);
    }
  }

  out.start_object();
  out.field("id", std::to_string(post.id));
  out.field("uri", post.ap_id);
  out.field("url", post.url.empty() ? post.ap_id : post.url);
  out.field("created_at", format_iso8601_ms(post.published));
  out.key("account");
  if (auto r = write_account(out, conn, **author, view); !r) return r;
  out.field("content", post.content_html);
  out.field("visibility", api_visibility(post.visibility));
  out.field("sensitive", post.sensitive || !post.summary.empty());
  out.field("spoiler_text", post.summary);
  out.key("media_attachments");
  out.start_array();
  for (std::size_t i = 0; i < attachments->size(); ++i) {
    const auto& a = (*attachments)[i];
    out.start_object();
    out.field("id", std::to_string(post.id) + "-" + std::to_string(i));
    out.field("type", attachment_type(a));
    out.field("url", a.url);
    out.field("preview_url", a.url);
    out.field("remote_url", a.url);
    out.key("description");
    if (a.name.empty()) out.null(); else out.string(a.name);
    out.key("blurhash");
    if (a.blurhash.empty()) out.null(); else out.string(a.blurhash);
    out.key("meta");
    out.start_object();
    out.end_object();
    out.end_object();
  }
  out.end_array();
  out.key("application");
  out.null();
  out.key("mentions");
  out.start_array();
  for (const auto& m : *mentions) {
    auto actor = storage::actors::find_by_uri(conn, m.actor_uri);
    if (!actor) return actor.error();
    if (!*actor) continue;  // never resolved here: no account id to give
    out.start_object();
    out.field("id", std::to_string((*actor)->id));
    out.field("username", (*actor)->username);
    out.field("acct", acct_of(**actor));
    out.field("url", (*actor)->url.empty() ? (*actor)->uri : (*actor)->url);
    out.end_object();
  }
  out.end_array();
  out.key("tags");
  out.start_array();
  for (const auto& h : *hashtags) {
    out.start_object();
    out.field("name", h.name);
    out.field("url", view.instance.base_url + "/tags/" + h.name);
    out.end_object();
  }
  out.end_array();
  out.key("emojis");
  out.start_array();
  out.end_array();
  out.field("reblogs_count", *shares);
  out.field("favourites_count", *likes);
  out.field("replies_count", *replies);
  out.key("in_reply_to_id");
  if (parent) out.string(std::to_string(parent->id)); else out.null();
  out.key("in_reply_to_account_id");
  if (parent_author) out.string(std::to_string(parent_author->id)); else out.null();
  out.key("reblog");
  out.null();
  out.key("poll");
  if (auto r = write_poll(out, conn, post, view); !r) return r;
  out.key("card");
  out.null();
  out.key("language");
  if (post.language.empty()) out.null(); else out.string(post.language);
  out.key("text");
  out.null();
  out.key("edited_at");
  if (post.updated) out.string(format_iso8601_ms(*post.updated)); else out.null();
  if (view.viewer_id) {
    auto liked = storage::reactions::find(conn, storage::ReactionKind::like, *view.viewer_id, post.id);
    if (!liked) return liked.error();
    auto boosted =
        storage::reactions::find(conn, storage::ReactionKind::announce, *view.viewer_id, post.id);
    if (!boosted) return boosted.error();
    auto bookmarked = storage::bookmarks::exists(conn, *view.viewer_id, post.id);
    if (!bookmarked) return bookmarked.error();
    out.field("favourited", liked->has_value());
    out.field("reblogged", boosted->has_value());
    out.field("muted", false);
    out.field("bookmarked", *bookmarked);
    if (post.author_id == *view.viewer_id) out.field("pinned", false);
  }
  out.key("filtered");
  out.start_array();
  out.end_array();
  out.end_object();
  return {};
}

Result<std::string> account_json(storage::Connection& conn, const storage::ActorRecord& actor,
                                 const ApiView& view, bool with_source) {
  JsonWriter out;
  if (auto r = write_account(out, conn, actor, view, with_source); !r) return r.error();
  return out.str();
}

Result<std::string> status_json(storage::Connection& conn, const storage::PostRecord& post,
                                const ApiView& view) {
  JsonWriter out;
  if (auto r = write_status(out, conn, post, view); !r) return r.error();
  return out.str();
}

Result<std::string> statuses_json(storage::Connection& conn,
                                  const std::vector<storage::PostRecord>& posts,
                                  const ApiView& view) {
  JsonWriter out;
  out.start_array();
  for (const auto& post : posts) {
    if (auto r = write_status(out, conn, post, view); !r) return r.error();
  }
  out.end_array();
  return out.str();
}

}  // namespace civicpub::server::views
