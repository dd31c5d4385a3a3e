// Posting in a civic group (issue 12; INTEROP.md section 5, FEP-1b12). Whoever brings the post
// (the inbound Create handler for a member's server, the posting service for a local member)
// asks the same three questions here: which of our groups does it concern, may this author post
// there, and then either the group's Announce to its members or a Reject to the author.
//
// The group's Announce embeds the member's activity unchanged, so the author's integrity proof
// still verifies at every member's server (FEP-8b32); for a new thread it also announces the
// bare post, because Mastodon shows no Announce of an activity but shows an Announce of a Note
// like a boost (only thread roots: replies would flood Mastodon home timelines).
#pragma once

#include "storage/connection.hpp"
#include "storage/groups.hpp"
#include "storage/records.hpp"

#include <rapidjson/document.h>

#include <cstdint>
#include <string>
#include <vector>

namespace civicpub::server::services {

enum class GroupVerdict {
  accept,
  not_a_member,     // a members-only group, and the author is neither member nor moderator
  moderators_only,  // a new thread where only moderators start threads
  blocked,          // a moderator blocked the author from the group
  thread_locked,    // a reply in a thread a moderator locked (or removed)
};

// Members are the group's accepted followers; moderators may always post (also in a locked
// thread); a blocked author never. `thread_root` is the thread a reply is in (empty for a new
// thread).
Result<GroupVerdict> check_group_post(storage::Connection& conn,
                                      const storage::groups::GroupSettings& group,
                                      std::int64_t author_id, const std::string& thread_root);

// At most this many groups are announced to for one post (a post naming fifty of our groups is
// someone trying to make us do fifty times the work).
inline constexpr std::size_t kMaxGroupsPerPost = 4;

// Our live groups a post concerns: those among `addressed` (to, cc, audience and mentions of the
// post and its activity), then the group of the thread it replies in (`thread_root`, else the
// group that announced `in_reply_to`): a reply anywhere inside a group's thread is a post to the
// group even when it addresses only the parent's author (lemmy#2218). Deduplicated, capped.
Result<std::vector<storage::ActorRecord>> groups_of_post(storage::Connection& conn,
                                                         const std::vector<std::string>& addressed,
                                                         const std::string& thread_root,
                                                         const std::string& in_reply_to);

struct GroupAnnouncement {
  std::string activity_id;             // the announced activity (a Create)
  const rapidjson::Value* activity{};  // that activity, embedded unchanged
  std::string post_uri;
  std::string thread_root;  // the post itself for a new thread
  bool new_thread = false;
};

// Records the post as the group's (storage::groups::add_post, the group's outbox) and queues
// Announce{activity} to the members' inboxes (shared inbox first; local members read it here),
// plus Announce{post id} for a new thread. Addressed to Public and the group's followers. An
// activity announced before queues nothing (returns 0). Returns the delivery rows queued.
Result<std::size_t> announce_in_group(storage::Connection& conn, const storage::ActorRecord& group,
                                      const GroupAnnouncement& announcement, storage::Millis now);

// Queues Reject{object: activity id} from the group to the author's inbox (personal first).
Result<std::size_t> reject_group_post(storage::Connection& conn, const storage::ActorRecord& group,
                                      const storage::ActorRecord& author,
                                      const std::string& activity_id, storage::Millis now);

}  // namespace civicpub::server::services
