// Internal to storage: the column list of `posts` and the reader of one row, shared by posts.cpp
// and timelines.cpp. read_post_row is nullopt for a row with an unknown visibility (corrupt).
#pragma once

#include "storage/records.hpp"
#include "storage/statement.hpp"

#include <optional>

// clang-format off
#define CIVICPUB_POST_COLUMNS                                                                  \
  "id, ap_id, author_id, local, in_reply_to, thread_root, context, visibility, content_html, " \
  "summary, sensitive, language, url, raw_json, published, updated, deleted_at, object_type, name"
// clang-format on

namespace civicpub::storage::detail {

inline std::optional<PostRecord> read_post_row(const Statement& s) {
  auto visibility = parse_visibility(s.column_text(7));
  if (!visibility) return std::nullopt;
  PostRecord p;
  p.id = s.column_int64(0);
  p.ap_id = s.column_text(1);
  p.author_id = s.column_int64(2);
  p.local = s.column_bool(3);
  p.in_reply_to = s.column_text(4);
  p.thread_root = s.column_text(5);
  p.context = s.column_text(6);
  p.visibility = *visibility;
  p.content_html = s.column_text(8);
  p.summary = s.column_text(9);
  p.sensitive = s.column_bool(10);
  p.language = s.column_text(11);
  p.url = s.column_text(12);
  p.raw_json = s.column_text(13);
  p.published = s.column_int64(14);
  p.updated = s.column_optional_int64(15);
  p.deleted_at = s.column_optional_int64(16);
  p.object_type = s.column_text(17);
  p.name = s.column_text(18);
  return p;
}

}  // namespace civicpub::storage::detail
