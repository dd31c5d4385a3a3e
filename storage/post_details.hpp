// What a post carries besides its text: Mention and Hashtag tags and attachment metadata. Each
// `replace` swaps the whole set (a post's Update brings the complete new set).
#pragma once

#include "storage/connection.hpp"
#include "storage/records.hpp"

#include <cstdint>
#include <vector>

namespace civicpub::storage::post_details {

// Duplicate actor URIs (or hashtag names) keep the first.
Result<void> replace_mentions(Connection& conn, std::int64_t post_id,
                              const std::vector<MentionRecord>& mentions);
Result<std::vector<MentionRecord>> mentions(Connection& conn, std::int64_t post_id);

Result<void> replace_hashtags(Connection& conn, std::int64_t post_id,
                              const std::vector<HashtagRecord>& hashtags);
Result<std::vector<HashtagRecord>> hashtags(Connection& conn, std::int64_t post_id);

// Kept in the given order.
Result<void> replace_attachments(Connection& conn, std::int64_t post_id,
                                 const std::vector<AttachmentRecord>& attachments);
Result<std::vector<AttachmentRecord>> attachments(Connection& conn, std::int64_t post_id);

}  // namespace civicpub::storage::post_details
