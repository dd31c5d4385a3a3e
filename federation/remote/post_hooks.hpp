// What the application does in the same write as storing a remote post that is new here, or an
// edit of one (the server stores notifications there: services/notifications). The composition
// root hands them to RemotePosts' constructor (server/app/assembly.cpp); empty hooks do nothing.
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

}  // namespace civicpub::federation
