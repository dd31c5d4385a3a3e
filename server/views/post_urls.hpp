// Where local posts live. One place for the URL scheme: the posting code mints ids here and the
// read handlers parse them here.
#pragma once

#include "storage/records.hpp"

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>

namespace civicpub::server::views {

// A time-sortable public post id, Mastodon-style: milliseconds since the epoch in the high bits,
// 16 random bits below, written in decimal. Sorting ids sorts posts by creation time.
std::string mint_post_id(storage::Millis now, std::mt19937_64& rng);

// <actor id>/statuses/<post id>, e.g. https://town.example/users/gemeente/statuses/1234.
std::string post_url(std::string_view actor_id, std::string_view post_id);

// The HTML page of a post, Mastodon-style: <actor's profile url>/<post id>, e.g.
// https://town.example/@gemeente/1234 (the profile url is <base>/@<name>, server/services/accounts).
std::string post_page_url(std::string_view actor_profile_url, std::string_view post_id);

// The activity ids derived from a post's id: <post url>/activity (Create), and
// <post url>#updates/<millis> and #delete for Update and Delete.
std::string create_activity_id(std::string_view post_url);
std::string update_activity_id(std::string_view post_url, storage::Millis at);
std::string delete_activity_id(std::string_view post_url);

// The collections of a local post: <post url>/replies (direct replies), /likes and /shares
// (counts), and /context (FEP-7888: every post of the thread; only a thread root has one).
std::string replies_url(std::string_view post_url);
std::string likes_url(std::string_view post_url);
std::string shares_url(std::string_view post_url);
std::string context_url(std::string_view post_url);

// A group's collections: <group id>/moderators (its `attributedTo`) and <group id>/featured.
std::string group_moderators_url(std::string_view group_id);
std::string group_featured_url(std::string_view group_id);
// The context (FEP-7888) of a thread started in a group: the group owns it and serves it at
// <group id>/context/<hex of SHA-256 of the top post's id, 16 bytes>.
std::string group_context_url(std::string_view group_id, std::string_view root_post_id);

// The Announces a group sends for an activity `activity_id` it passes on to its members:
// <group id>/announces/<hex of SHA-256 of the activity id>, and the same with /object for the
// Announce of the bare post (Mastodon followers see new threads). Derived, so announcing the
// same activity twice mints the same ids and queues nothing new.
std::string group_announce_id(std::string_view group_id, std::string_view activity_id);
std::string group_object_announce_id(std::string_view group_id, std::string_view activity_id);

// True when `post_id` looks like a minted id (digits only, 1 to 20 long).
bool is_post_id(std::string_view post_id);

}  // namespace civicpub::server::views
