// The moderators of another server's group (a Lemmy community, a civicpub group): the collection
// its actor document names in `attributedTo` (Lemmy's `<community>/moderators`, civicpub's
// `<group>/moderators`), read over signed fetches. A removal a remote group announces is applied
// here only when its actor is the post's author or one of these moderators, as Lemmy checks
// (`verify_mod_action` in its deletion code) before it removes a post of a community.
#pragma once

#include "server/inbound/activity_handlers.hpp"

#include <string>

namespace civicpub::server::inbound {

// True when `actor` is `group` itself or listed in the group's moderators collection (the
// collection on the group's origin; its `orderedItems` inline, or those of its `first` page).
// A group, collection or page that cannot be fetched or read lists nobody (false).
boost::asio::awaitable<Result<bool>> remote_group_moderator(ActivityContext& ctx, std::string group,
                                                            std::string actor);

}  // namespace civicpub::server::inbound
