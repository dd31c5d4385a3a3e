// The storage side of publishing, editing and deleting a local post: each function builds the
// job that runs on the database's writer thread (federation::write), so the post, its details,
// its deliveries and, for a post in one of our groups, the group's Announce are one transaction.
//
// Write jobs are built by plain functions like these, never as lambdas inside a coroutine body:
// GCC 12 destroys a coroutine-local lambda's by-value captures twice. For the same reason a job
// is built in its own statement before `co_await federation::write(db, std::move(job))`: GCC 12
// also destroys a braced temporary inside a co_await expression twice.
#pragma once

#include "server/services/post_service.hpp"
#include "server/views/note_view.hpp"
#include "storage/connection.hpp"
#include "storage/records.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace civicpub::server::services {

using StoreStep = std::function<Result<void>(storage::Connection&)>;
using QueueJob = std::function<Result<std::size_t>(storage::Connection&)>;

// Inserts the post, its mentions and hashtags and, for a consultation, its poll; the new row id
// is written to `id_out` (which must outlive the job).
StoreStep insert_post(storage::PostRecord post, views::NoteDetails details,
                      std::optional<PollSpec> poll, std::int64_t& id_out);
// Rewrites the post's content and details after an edit.
StoreStep update_post(storage::PostRecord post, views::NoteDetails details, storage::Millis now);
// Marks the post deleted and keeps its tombstone.
StoreStep delete_post(std::int64_t id, std::string uri, storage::Millis now);

// The activity a change sends, and to whom (the author's audience plus the mentioned actors).
struct QueuedActivity {
  std::int64_t author_id = 0;
  storage::Visibility visibility = storage::Visibility::public_;
  std::vector<std::string> mentioned;
  std::string activity_id;
  std::string body;  // rendered once: every inbox receives the same bytes
  storage::Millis now = 0;
};

// Runs `store`, then queues the activity for the audience. The job returns the delivery rows.
QueueJob store_and_queue(StoreStep store, QueuedActivity activity);

// The same for a post in one of our groups: the Create gets its author's integrity proof here
// (enqueue_activity would add the same), so the group can announce it embedded unchanged, proof
// included, to its members in the same transaction (FEP-1b12).
QueueJob store_queue_and_announce(StoreStep store, QueuedActivity activity,
                                  storage::ActorRecord group, storage::PostRecord post);

// The same for an edit or deletion (Update or Delete) of the local post `post_uri`: when one of
// our groups announced the post, the group announces the activity too, with the author's proof
// (group_changes.hpp). For any other post it is store_and_queue.
QueueJob store_queue_and_pass_to_group(StoreStep store, QueuedActivity activity,
                                       std::string post_uri);

// The group a new local post goes to: the one named (`group_name`, a local Group), else the group
// whose thread the parent is in (`parent_thread_root`, `parent_id`, null for a new thread). The
// author is checked against the group's rules: ServiceError::unknown_group, not_a_member or
// moderators_only. No group: an empty optional.
Result<std::optional<storage::ActorRecord>> group_for_post(
    storage::Connection& conn, const std::optional<std::string>& group_name,
    std::int64_t author_id, const std::string* parent_thread_root, const std::string* parent_id);

}  // namespace civicpub::server::services
