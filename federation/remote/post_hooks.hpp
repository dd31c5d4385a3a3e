// What the application does in the same write as storing a remote post that is new here, or an
// edit of one (the server stores notifications there: services/notifications). Set once at
// start-up (server/app/assembly.cpp), before any post is stored; RemotePosts runs them. Empty
// hooks do nothing.
#pragma once

#include "storage/connection.hpp"
#include "storage/records.hpp"

#include <functional>

namespace civicpub::federation {

using PostHook =
    std::function<Result<void>(storage::Connection&, const storage::PostRecord&, storage::Millis)>;

struct PostHooks {
  PostHook on_created;
  PostHook on_updated;
};

void set_post_hooks(PostHooks hooks);
// A copy (the hooks are set once; a write job keeps its own).
PostHooks post_hooks();

}  // namespace civicpub::federation
