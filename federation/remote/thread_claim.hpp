// Whether a remote post may join one of our own conversations by its `context` (issue 11 item
// 7). A context names a conversation; when it names one of ours, the post would be listed in
// our context collection and forwarded to the thread's audience, so the claim must be earned.
#pragma once

#include "federation/convert/post_reader.hpp"
#include "storage/connection.hpp"
#include "storage/records.hpp"

#include <optional>

namespace civicpub::federation {

// True when `post.context` is not the context of a local thread (nothing to earn), or when the
// post takes part in that thread: it replies to a post stored in it (same context or root), or
// it replies to a post we do not hold yet (a gap in the chain) and addresses the thread's owner
// (to, cc or a Mention). A post that merely claims the context (no reply, or a reply elsewhere
// that addresses nobody of the thread) is false: the caller drops the claim.
Result<bool> may_claim_context(storage::Connection& conn, const convert::RemotePost& post,
                               const std::optional<storage::PostRecord>& parent);

}  // namespace civicpub::federation
