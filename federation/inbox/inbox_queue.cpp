#include "federation/inbox/inbox_queue.hpp"

#include "federation/federation_error.hpp"
#include "federation/http/urls.hpp"
#include "storage/inbox_items.hpp"

namespace civicpub::federation {

Result<std::int64_t> queue_item(storage::Connection& conn, const storage::InboxItemRecord& item,
                                const InboxQueueCaps& caps) {
  auto from_actor = storage::inbox_items::count_pending_from(conn, item.actor_uri);
  if (!from_actor) return from_actor.error();
  if (*from_actor >= caps.per_actor) return make_error_code(FederationError::queue_full);
  if (auto origin = http::origin_of(item.actor_uri)) {
    auto from_host = storage::inbox_items::count_pending_under(conn, *origin);
    if (!from_host) return from_host.error();
    if (*from_host >= caps.per_host) return make_error_code(FederationError::queue_full);
  }
  return storage::inbox_items::insert(conn, item);
}

}  // namespace civicpub::federation
