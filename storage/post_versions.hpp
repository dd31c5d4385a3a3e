// Earlier versions of edited posts (issue 13: GET /api/v1/statuses/:id/history). A trigger of
// migration 15 copies a post's content, summary and sensitive flag here whenever an UPDATE
// changes them, whichever path edits (local edits, inbound Updates), and keeps the newest 50 per
// post so that a peer editing without end cannot grow the table without bound.
#pragma once

#include "storage/connection.hpp"
#include "storage/records.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace civicpub::storage {

struct PostVersionRecord {
  std::string content_html;
  std::string summary;
  bool sensitive = false;
  Millis created_at = 0;  // when this version was written (published, or its edit)
};

}  // namespace civicpub::storage

namespace civicpub::storage::post_versions {

// The post's earlier versions, oldest first (the current one is the post itself).
Result<std::vector<PostVersionRecord>> list(Connection& conn, std::int64_t post_id);

}  // namespace civicpub::storage::post_versions
