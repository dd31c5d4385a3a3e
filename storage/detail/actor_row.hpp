// Internal to storage: the actor column list shared by queries that return actors (actors.cpp,
// follows.cpp) and the reader for it. A macro so it can be spliced into SQL constants at compile
// time; the order must match read_actor_row.
#pragma once

#include "storage/records.hpp"
#include "storage/statement.hpp"

#define CIVICPUB_ACTOR_COLUMNS(a)                                                                \
  a "id, " a "uri, " a "local, " a "type, " a "username, " a "domain, " a "display_name, " a     \
    "summary_html, " a "inbox, " a "shared_inbox, " a "outbox, " a "followers, " a "following, " \
    a "url, " a "key_id, " a "public_key_pem, " a "manually_approves_followers, " a              \
    "discoverable, " a "raw_json, " a "created_at, " a "updated_at, " a "fetched_at, " a         \
    "deleted_at"

namespace civicpub::storage::detail {

inline ActorRecord read_actor_row(const Statement& s) {
  ActorRecord a;
  a.id = s.column_int64(0);
  a.uri = s.column_text(1);
  a.local = s.column_bool(2);
  a.type = s.column_text(3);
  a.username = s.column_text(4);
  a.domain = s.column_text(5);
  a.display_name = s.column_text(6);
  a.summary_html = s.column_text(7);
  a.inbox = s.column_text(8);
  a.shared_inbox = s.column_text(9);
  a.outbox = s.column_text(10);
  a.followers = s.column_text(11);
  a.following = s.column_text(12);
  a.url = s.column_text(13);
  a.key_id = s.column_text(14);
  a.public_key_pem = s.column_text(15);
  a.manually_approves_followers = s.column_bool(16);
  a.discoverable = s.column_bool(17);
  a.raw_json = s.column_text(18);
  a.created_at = s.column_int64(19);
  a.updated_at = s.column_int64(20);
  a.fetched_at = s.column_int64(21);
  a.deleted_at = s.column_optional_int64(22);
  return a;
}

}  // namespace civicpub::storage::detail
