#include "federation/inbox/inbox_queue.hpp"

#include "federation/federation_error.hpp"
#include "federation/http/urls.hpp"
#include "storage/inbox_items.hpp"

#include <utility>

namespace civicpub::federation {

Result<std::int64_t> queue_item(storage::Connection& conn, storage::InboxItemRecord item,
                                const InboxQueueCaps& caps) {
  // The row is counted per host under the origin it is stored with, so the origin is computed
  // here, once, by the same parser as every other origin check of the inbox.
  item.actor_origin = http::origin_of(item.actor_uri).value_or("");
  auto pending = storage::inbox_items::pending_counts(conn, item.actor_uri, item.actor_origin);
  if (!pending) return pending.error();
  if (pending->of_actor >= caps.per_actor) return make_error_code(FederationError::queue_full);
  if (!item.actor_origin.empty() && pending->of_origin >= caps.per_host) {
    return make_error_code(FederationError::queue_full);
  }
  return storage::inbox_items::insert(conn, item);
}

}  // namespace civicpub::federation
