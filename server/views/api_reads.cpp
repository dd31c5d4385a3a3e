#include "server/views/api_reads.hpp"

#include "federation/as2/time_format.hpp"
#include "server/views/error.hpp"
#include "storage/actor_handles.hpp"
#include "storage/actors.hpp"
#include "storage/posts.hpp"
#include "storage/follows.hpp"
#include "storage/post_details.hpp"
#include "storage/post_versions.hpp"

#include <charconv>

namespace civicpub::server::views {
namespace {

using federation::as2::JsonWriter;

constexpr int kMaxAncestors = 40;

// Result<bool> cannot take an error_code implicitly (bool would be ambiguous).
Result<bool> failed(const boost::system::error_code& ec) {
  return Result<bool>(boost::system::in_place_error, ec);
}
constexpr int kMaxDescendantDepth = 20;
constexpr int kMaxDescendants = 200;

Result<storage::PostRecord> find_visible(storage::Connection& conn, std::string_view id,
                                         const ApiView& view) {
  const auto row = parse_id(id);
  if (!row) return make_error_code(ViewError::not_found);
  auto post = storage::posts::find_by_id(conn, *row);
  if (!post) return post.error();
  if (!*post || (*post)->deleted_at) return make_error_code(ViewError::not_found);
  auto visible = status_visible(conn, **post, view.viewer_id);
  if (!visible) return visible.error();
  if (!*visible) return make_error_code(ViewError::not_found);
  return std::move(**post);
}

}  // namespace

std::optional<std::int64_t> parse_id(std::string_view text) {
  std::int64_t value = 0;
  if (text.empty() || text.size() > 18) return std::nullopt;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value <= 0) return std::nullopt;
  return value;
}

Result<bool> status_visible(storage::Connection& conn, const storage::PostRecord& post,
                            std::optional<std::int64_t> viewer) {
  if (post.visibility == storage::Visibility::public_ ||
      post.visibility == storage::Visibility::unlisted) {
    return true;
  }
  if (!viewer) return false;
  if (post.author_id == *viewer) return true;
  if (post.visibility == storage::Visibility::followers) {
    auto follow = storage::follows::find_by_pair(conn, *viewer, post.author_id);
    if (!follow) return failed(follow.error());
    return *follow && (*follow)->state == storage::FollowState::accepted;
  }
  auto me = storage::actors::find_by_id(conn, *viewer);
  if (!me) return failed(me.error());
  if (!*me) return false;
  auto mentions = storage::post_details::mentions(conn, post.id);
  if (!mentions) return failed(mentions.error());
  for (const auto& m : *mentions) {
    if (m.actor_uri == (*me)->uri) return true;
  }
  return false;
}

Result<storage::PostRecord> find_status(storage::Database& db, std::string_view id,
                                        const ApiView& view) {
  return db.read([&](storage::Connection& conn) { return find_visible(conn, id, view); });
}

Result<std::string> status_json(storage::Database& db, std::string_view id, const ApiView& view) {
  return db.read([&](storage::Connection& conn) -> Result<std::string> {
    auto post = find_visible(conn, id, view);
    if (!post) return post.error();
    return status_json(conn, *post, view);
  });
}

Result<std::string> status_json(storage::Database& db, const storage::PostRecord& post,
                                const ApiView& view) {
  return db.read([&](storage::Connection& conn) { return status_json(conn, post, view); });
}

Result<std::string> status_source_json(storage::Database& db, std::string_view id,
                                       const ApiView& view) {
  auto post = find_status(db, id, view);
  if (!post) return post.error();
  if (post->author_id != view.viewer_id) return make_error_code(ViewError::not_found);
  JsonWriter out;
  out.start_object();
  out.field("id", std::to_string(post->id));
  out.field("text", plain_text(post->content_html));
  out.field("spoiler_text", post->summary);
  out.end_object();
  return out.str();
}

Result<std::string> status_history_json(storage::Database& db, std::string_view id,
                                        const ApiView& view) {
  return db.read([&](storage::Connection& conn) -> Result<std::string> {
    auto post = find_visible(conn, id, view);
    if (!post) return post.error();
    auto author = storage::actors::find_by_id(conn, post->author_id);
    if (!author) return author.error();
    if (!*author) return make_error_code(ViewError::not_found);
    auto earlier = storage::post_versions::list(conn, post->id);
    if (!earlier) return earlier.error();
    storage::PostVersionRecord current{post->content_html, post->summary, post->sensitive,
                                       post->updated.value_or(post->published)};
    earlier->push_back(std::move(current));
    JsonWriter out;
    out.start_array();
    for (const auto& version : *earlier) {  // oldest first, as Mastodon lists them
      out.start_object();
      out.field("content", version.content_html);
      out.field("spoiler_text", version.summary);
      out.field("sensitive", version.sensitive || !version.summary.empty());
      out.field("created_at", federation::as2::format_iso8601_ms(version.created_at));
      out.key("account");
      if (auto r = write_account(out, conn, **author, view); !r) return r.error();
      out.key("poll");
      out.null();
      out.key("media_attachments");
      out.start_array();
      out.end_array();
      out.key("emojis");
      out.start_array();
      out.end_array();
      out.end_object();
    }
    out.end_array();
    return out.str();
  });
}

Result<std::string> context_json(storage::Database& db, std::string_view id, const ApiView& view) {
  return db.read([&](storage::Connection& conn) -> Result<std::string> {
    auto post = find_visible(conn, id, view);
    if (!post) return post.error();
    auto above = storage::posts::ancestors(conn, post->ap_id, kMaxAncestors);
    if (!above) return above.error();
    auto below =
        storage::posts::descendants(conn, post->ap_id, kMaxDescendantDepth, kMaxDescendants);
    if (!below) return below.error();
    JsonWriter out;
    out.start_object();
    for (int part = 0; part < 2; ++part) {
      out.key(part == 0 ? "ancestors" : "descendants");
      out.start_array();
      for (const auto& p : part == 0 ? above->chain : *below) {
        if (p.deleted_at) continue;
        auto visible = status_visible(conn, p, view.viewer_id);
        if (!visible) return visible.error();
        if (!*visible) continue;
        if (auto r = write_status(out, conn, p, view); !r) return r.error();
      }
      out.end_array();
    }
    out.end_object();
    return out.str();
  });
}

namespace {

Result<TimelinePage> posts_page(storage::Connection& conn,
                                const Result<std::vector<storage::PostRecord>>& posts,
                                const ApiView& view) {
  if (!posts) return posts.error();
  TimelinePage page;
  auto json = statuses_json(conn, *posts, view);
  if (!json) return json.error();
  page.json = std::move(*json);
  if (!posts->empty()) {
    page.newest_id = posts->front().id;
    page.oldest_id = posts->back().id;
  }
  return page;
}

}  // namespace

Result<TimelinePage> timeline(storage::Database& db, const storage::timelines::TimelineQuery& query,
                              std::optional<std::int64_t> home_of, const ApiView& view) {
  return db.read([&](storage::Connection& conn) -> Result<TimelinePage> {
    auto posts = home_of ? storage::timelines::home_timeline(conn, *home_of, query)
                         : storage::timelines::public_timeline(conn, query);
    return posts_page(conn, posts, view);
  });
}

Result<TimelinePage> tag_timeline(storage::Database& db, std::string_view tag,
                                  const storage::timelines::TimelineQuery& query,
                                  const ApiView& view) {
  return db.read([&](storage::Connection& conn) {
    return posts_page(conn, storage::timelines::tag_timeline(conn, tag, query), view);
  });
}

Result<TimelinePage> account_statuses(storage::Database& db, std::string_view account_id,
                                      const storage::timelines::TimelineQuery& query,
                                      const ApiView& view) {
  const auto id = parse_id(account_id);
  if (!id) return make_error_code(ViewError::not_found);
  return db.read([&](storage::Connection& conn) -> Result<TimelinePage> {
    auto actor = storage::actors::find_by_id(conn, *id);
    if (!actor) return actor.error();
    if (!*actor || (*actor)->deleted_at) return make_error_code(ViewError::not_found);
    auto posts = storage::timelines::account_statuses(conn, *id, view.viewer_id.value_or(0), query);
    return posts_page(conn, posts, view);
  });
}

Result<std::string> account_json(storage::Database& db, std::int64_t id, const ApiView& view,
                                 bool with_source) {
  return db.read([&](storage::Connection& conn) -> Result<std::string> {
    auto actor = storage::actors::find_by_id(conn, id);
    if (!actor) return actor.error();
    if (!*actor || (*actor)->deleted_at) return make_error_code(ViewError::not_found);
    return account_json(conn, **actor, view, with_source);
  });
}

Result<std::string> account_json_by_id(storage::Database& db, std::string_view id,
                                       const ApiView& view) {
  const auto row = parse_id(id);
  if (!row) return make_error_code(ViewError::not_found);
  return account_json(db, *row, view, false);
}

Result<std::string> account_json_by_acct(storage::Database& db, std::string_view acct,
                                         const ApiView& view) {
  if (!acct.empty() && acct.front() == '@') acct.remove_prefix(1);
  const auto at = acct.find('@');
  const std::string_view username = acct.substr(0, at);
  const std::string_view domain = at == std::string_view::npos
                                      ? std::string_view(view.instance.effective_handle_domain())
                                      : acct.substr(at + 1);
  if (username.empty() || domain.empty() || acct.size() > 300) {
    return make_error_code(ViewError::not_found);
  }
  return db.read([&](storage::Connection& conn) -> Result<std::string> {
    auto actor = storage::actors::find_by_handle(conn, username, domain);
    if (!actor) return actor.error();
    if (!*actor || (*actor)->deleted_at) return make_error_code(ViewError::not_found);
    return account_json(conn, **actor, view, false);
  });
}

}  // namespace civicpub::server::views
