// An account's public profile as residents and civil servants see it in a browser, with the
// plain-language "How to follow" help that turns a handle into a Follow in any fediverse app.
#pragma once

#include "federation/as2/instance_info.hpp"
#include "server/html/post_view.hpp"
#include "storage/records.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace civicpub::server::html {

struct ProfileCounts {
  std::int64_t posts = 0;
  std::int64_t followers = 0;
  std::int64_t following = 0;
};

// Links to the neighbouring pages of a paged list; absent means there is none.
struct Pagination {
  std::optional<std::string> newer_url;
  std::optional<std::string> older_url;
};

struct ProfileContent {
  ProfileCounts counts;
  std::vector<PostView> posts;  // the account's recent public posts, newest first
  Pagination pages;
};

// Where the account's Atom feed is served: <actor id>/feed.atom (handlers/feed_routes.hpp).
std::string atom_feed_url(const storage::ActorRecord& actor);

// "Organization", "Person", "Bot" (Service, Application) or "Group"; empty for anything else.
std::string_view account_type_label(std::string_view actor_type);

// The whole document. The page's canonical URL is the actor's `url` (else its id), its
// ActivityPub alternate is the actor id and its Atom alternate the account's feed. The posts are
// the account's public and unlisted ones, as Mastodon lists them on a profile (unlisted only
// keeps a post off public timelines).
std::string profile_page(const federation::as2::InstanceInfo& instance,
                         const storage::ActorRecord& actor, const ProfileContent& content);

}  // namespace civicpub::server::html
