// Storing remote posts (Create, a fetched parent) and applying their edits (Update): the
// synchronous part that runs inside one database write. Everything a peer wrote in HTML is
// sanitized before it reaches the database (INTEROP.md section 6), by clean_text, which runs
// before the write: the single writer never parses HTML (issue 11, item 1).
#pragma once

#include "federation/convert/post_reader.hpp"
#include "storage/connection.hpp"
#include "storage/records.hpp"

#include <rapidjson/document.h>

#include <string>

namespace civicpub::federation {

// A post read from a peer whose origin checks passed, with its resolved author.
struct CheckedPost {
  convert::RemotePost post;
  storage::ActorRecord author;
  std::string raw_json;  // the object as received or fetched
  // How it was verified (storage/post_provenance.hpp): "signature" or "proof" when delivered by
  // its author, "origin" when fetched from its server; and the activity that brought it.
  std::string verified_by = "origin";
  std::string activity_id = {};
};

// What a peer wrote, made safe to store and show: content sanitized (sanitize_html), the
// summary as plain text (Mastodon writes it as text, others as HTML; renderers escape it).
struct CleanText {
  std::string content_html;
  std::string summary;
};
CleanText clean_text(const convert::RemotePost& post);

// The object as JSON text (kept as raw_json of remote posts).
std::string to_json_text(const rapidjson::Value& value);

// Stores `checked` unless its id is stored already (then the stored row comes back unchanged:
// redeliveries are no-ops) or tombstoned (FederationError::object_gone). Stores `clean` as its
// content and summary, sets the visibility from to/cc and the author's followers collection, the
// thread root (the stored parent's root, else the parent's URI, else the post itself), the context
// (the parent's when the post has none), `published` (now when missing), relinks replies that
// arrived before this post, stores mentions, hashtags and attachments, and how it was verified.
Result<storage::PostRecord> store_remote_post(storage::Connection& conn, const CheckedPost& checked,
                                              const CleanText& clean, storage::Millis now);

// Applies an edit to the stored post `stored` (the caller checked the author): content and
// summary (from `clean`), sensitive, language, title and raw_json, the edit time (`updated`, else
// now), and the new mentions, hashtags and attachments. Returns the post as stored afterwards.
Result<storage::PostRecord> update_remote_post(storage::Connection& conn,
                                               const storage::PostRecord& stored,
                                               const CheckedPost& checked, const CleanText& clean,
                                               storage::Millis now);

}  // namespace civicpub::federation
