// A moderator's activity reaching one of our groups (issue 12, point 4; Lemmy's shapes, see
// services/group_moderation.hpp): Delete of a post in the group by someone other than its author
// (Lemmy's moderator removal, the reason in `summary`), Lock of a thread, Add or Remove with
// target <group>/featured, Block with target the group, Undo of Lock and of Block. Run by the
// Dispatcher before the type's handler, for activities the actor signed or proved.
//
// The actor must be one of the group's moderators (local or remote): then the action is applied
// and the group announces the activity, unchanged, to its members. From anyone else it is
// dropped (a Delete goes on to the ordinary Delete handler, which refuses a non-author).
#pragma once

#include "server/inbound/activity_handlers.hpp"

namespace civicpub::server::inbound {

// True when the activity was a moderation of one of our groups (applied or refused): the
// Dispatcher does nothing more with it.
boost::asio::awaitable<Result<bool>> take_group_moderation(ActivityContext& ctx,
                                                           const Activity& activity);

}  // namespace civicpub::server::inbound
