// Read-side queries behind WebFinger, NodeInfo and the front page.
#pragma once

#include "federation/as2/instance_info.hpp"
#include "federation/as2/nodeinfo.hpp"
#include "storage/database.hpp"
#include "storage/records.hpp"

#include <cstddef>
#include <string_view>
#include <vector>

namespace civicpub::server::views {

// The local actor a WebFinger `resource` names: `acct:user@domain` where domain is the handle
// domain or the server's own host (Mastodon WebFingers `preferredUsername@<host of the actor
// id>`, so with a separate handle domain both must answer, INTEROP.md section 1), or the actor's
// id or profile URL. Errors: federation::as2::DocumentError::bad_resource (400), ViewError::not_found (another
// domain, unknown account), ViewError::gone (deleted), storage errors.
Result<storage::ActorRecord> resolve_webfinger(storage::Database& db,
                                               const federation::as2::InstanceInfo& instance,
                                               std::string_view resource);

// NodeInfo usage: users are the local accounts except the instance actor; active means a local
// post in the last 30 (month) or 180 (half year) days before `now`.
Result<federation::as2::NodeUsage> node_usage(storage::Database& db, const federation::as2::InstanceInfo& instance,
                                  storage::Millis now);

// The accounts the front page lists: local, discoverable, not deleted, not the instance actor,
// oldest first, at most `limit`.
Result<std::vector<storage::ActorRecord>> listed_accounts(storage::Database& db,
                                                          const federation::as2::InstanceInfo& instance,
                                                          std::size_t limit);

}  // namespace civicpub::server::views
