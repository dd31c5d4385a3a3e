// A civic group's page and its thread pages (issue 12, point 6): the threads with their reply
// counts and last activity, featured threads first, the member count, the moderators, and how to
// join from Mastodon and from Lemmy.
#pragma once

#include "federation/as2/instance_info.hpp"
#include "server/html/post_view.hpp"
#include "server/html/profile_page.hpp"
#include "storage/records.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace civicpub::server::html {

// One thread in the group's list. `root.url` is the group's thread page.
struct GroupThreadItem {
  PostView root;
  std::int64_t replies = 0;
  storage::Millis last_activity = 0;
  bool featured = false;
  bool locked = false;
};

struct GroupPageContent {
  std::int64_t members = 0;
  std::int64_t threads = 0;
  std::vector<AuthorView> moderators;
  std::vector<GroupThreadItem> items;  // featured first, then by last activity
  Pagination pages;
};

// The whole document; canonical URL the group's `url` (else its id), ActivityPub alternate its
// id, Atom alternate its feed (atom_feed_url).
std::string group_page(const federation::as2::InstanceInfo& instance,
                       const storage::ActorRecord& group, const GroupPageContent& content);

struct GroupThreadContent {
  std::string page_url;  // the thread's context collection id, which serves this page too
  ThreadNode root;
  bool locked = false;
};

// <context>/feed.atom: the Atom feed of one group thread.
std::string group_thread_feed_url(std::string_view context);

// A thread of the group: which group it is in, whether it is locked, the top post and the
// nested replies as the post page shows them.
std::string group_thread_page(const federation::as2::InstanceInfo& instance,
                              const storage::ActorRecord& group, const GroupThreadContent& content);

}  // namespace civicpub::server::html
