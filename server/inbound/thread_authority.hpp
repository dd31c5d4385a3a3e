// The thread owner's part in completing threads (issue 5; INTEROP.md section 4, "Where replies
// go"). A reply to a reply reaches only the people its author addressed, so every server sees a
// different part of the conversation unless the owner of the thread passes it on. Run by the
// federation::InboxWorker after a Create, Update or Delete handler succeeded, for the post it was about:
//
// - The thread is ours (its top post is a local post; the owner is that post's author): the
//   activity is forwarded, the original bytes unchanged (ActivityPub 7.1.2), once, to the
//   owner's accepted followers and to the servers of the thread's remote participants (shared
//   inbox, else inbox; deduplicated), signed by the owner. Skipped: inboxes on the activity
//   actor's server and on the HTTP signer's server (they have it), and local actors.
// - The thread is someone else's but the post replies to one of our posts: the original bytes
//   are passed on to the thread's owner (the author of the stored top post, else the context
//   collection's attributedTo, FEP-7888), signed by the author of our post, unless the activity
//   came from the owner's server.
//
// Only activities about public and unlisted posts are forwarded: a followers-only or direct
// post's audience was chosen by its author and is never widened. The activity must be the
// post's author's own (the handlers checked that for Update and Delete; a Create whose post was
// refetched from another author is not forwarded). Forwarding twice queues nothing new
// (federation::forward_activity skips (activity, inbox) pairs already queued).
#pragma once

#include "federation/as2/envelope.hpp"
#include "server/inbound/activity_handlers.hpp"
#include "storage/records.hpp"

namespace civicpub::server::inbound {

// `item` is the inbox row (its body is what is forwarded; its key_id names the HTTP signer);
// `envelope` is read from that body. Returns how many deliveries were queued. Activities other
// than Create, Update and Delete of a post, and posts outside the rules above, queue nothing.
boost::asio::awaitable<Result<std::size_t>> apply_thread_authority(
    ActivityContext& ctx, const storage::InboxItemRecord& item,
    const federation::as2::ActivityEnvelope& envelope);

}  // namespace civicpub::server::inbound
