#include "storage/post_details.hpp"

#include "storage/detail/query.hpp"
#include "storage/statement.hpp"

namespace civicpub::storage::post_details {
namespace {

constexpr const char* kDeleteMentions = "DELETE FROM post_mentions WHERE post_id = ?1";
constexpr const char* kInsertMention =
    "INSERT INTO post_mentions (post_id, actor_uri, name) VALUES (?1, ?2, ?3) "
    "ON CONFLICT DO NOTHING";
constexpr const char* kMentions =
    "SELECT actor_uri, name FROM post_mentions WHERE post_id = ?1 ORDER BY rowid";
constexpr const char* kDeleteHashtags = "DELETE FROM post_hashtags WHERE post_id = ?1";
constexpr const char* kInsertHashtag =
    "INSERT INTO post_hashtags (post_id, name, href) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING";
constexpr const char* kHashtags =
    "SELECT name, href FROM post_hashtags WHERE post_id = ?1 ORDER BY name";
constexpr const char* kDeleteAttachments = "DELETE FROM post_attachments WHERE post_id = ?1";
constexpr const char* kInsertAttachment =
    "INSERT INTO post_attachments (post_id, position, type, media_type, url, name, width, height,"
    " blurhash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
constexpr const char* kAttachments =
    "SELECT type, media_type, url, name, width, height, blurhash FROM post_attachments "
    "WHERE post_id = ?1 ORDER BY position";

Result<void> clear(Connection& conn, const char* sql, std::int64_t post_id) {
  auto s = Statement::prepare(conn, sql);
  if (!s) return s.error();
  s->bind(1, post_id);
  return s->run();
}

}  // namespace

Result<void> replace_mentions(Connection& conn, std::int64_t post_id,
                              const std::vector<MentionRecord>& mentions) {
  if (auto r = clear(conn, kDeleteMentions, post_id); !r) return r;
  for (const auto& m : mentions) {
    auto s = Statement::prepare(conn, kInsertMention);
    if (!s) return s.error();
    s->bind(1, post_id).bind(2, m.actor_uri).bind(3, m.name);
    if (auto r = s->run(); !r) return r;
  }
  return {};
}

Result<std::vector<MentionRecord>> mentions(Connection& conn, std::int64_t post_id) {
  auto s = Statement::prepare(conn, kMentions);
  if (!s) return s.error();
  s->bind(1, post_id);
  return detail::fetch_all(*s, [](const Statement& st) {
    return MentionRecord{st.column_text(0), st.column_text(1)};
  });
}

Result<void> replace_hashtags(Connection& conn, std::int64_t post_id,
                              const std::vector<HashtagRecord>& hashtags) {
  if (auto r = clear(conn, kDeleteHashtags, post_id); !r) return r;
  for (const auto& h : hashtags) {
    auto s = Statement::prepare(conn, kInsertHashtag);
    if (!s) return s.error();
    s->bind(1, post_id).bind(2, h.name).bind(3, h.href);
    if (auto r = s->run(); !r) return r;
  }
  return {};
}

Result<std::vector<HashtagRecord>> hashtags(Connection& conn, std::int64_t post_id) {
  auto s = Statement::prepare(conn, kHashtags);
  if (!s) return s.error();
  s->bind(1, post_id);
  return detail::fetch_all(*s, [](const Statement& st) {
    return HashtagRecord{st.column_text(0), st.column_text(1)};
  });
}

Result<void> replace_attachments(Connection& conn, std::int64_t post_id,
                                 const std::vector<AttachmentRecord>& attachments) {
  if (auto r = clear(conn, kDeleteAttachments, post_id); !r) return r;
  std::int64_t position = 0;
  for (const auto& a : attachments) {
    auto s = Statement::prepare(conn, kInsertAttachment);
    if (!s) return s.error();
    s->bind(1, post_id).bind(2, position++).bind(3, a.type).bind(4, a.media_type).bind(5, a.url);
    s->bind(6, a.name).bind(7, a.width).bind(8, a.height).bind(9, a.blurhash);
    if (auto r = s->run(); !r) return r;
  }
  return {};
}

Result<std::vector<AttachmentRecord>> attachments(Connection& conn, std::int64_t post_id) {
  auto s = Statement::prepare(conn, kAttachments);
  if (!s) return s.error();
  s->bind(1, post_id);
  return detail::fetch_all(*s, [](const Statement& st) {
    AttachmentRecord a;
    a.type = st.column_text(0);
    a.media_type = st.column_text(1);
    a.url = st.column_text(2);
    a.name = st.column_text(3);
    a.width = st.column_optional_int64(4);
    a.height = st.column_optional_int64(5);
    a.blurhash = st.column_text(6);
    return a;
  });
}

}  // namespace civicpub::storage::post_details
