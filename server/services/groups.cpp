#include "server/services/groups.hpp"

#include "federation/clock.hpp"
#include "federation/convert/actor.hpp"
#include "federation/delivery/outbox.hpp"
#include "federation/text/html_escape.hpp"
#include "server/services/follow_requests.hpp"
#include "server/services/service_error.hpp"
#include "server/views/actor_views.hpp"
#include "storage/actors.hpp"
#include "storage/errors.hpp"
#include "storage/follows.hpp"

namespace civicpub::server::services {
namespace {

// Enough for any group's backlog of held follows; only counted for `group show`.
constexpr std::int64_t kPendingCounted = 500;
constexpr std::int64_t kMembersListed = 500;

std::string handle_of(const storage::ActorRecord& actor) {
  return "@" + actor.username + "@" + actor.domain;
}

bool names(const storage::ActorRecord& actor, const std::string& who) {
  return actor.uri == who || handle_of(actor) == who || handle_of(actor) == "@" + who;
}

// `alice`, `@alice`, `@alice@<our handle domain>`: a local username; anything else with "://" is
// the id of a stored actor (a remote moderator that already interacted with us).
Result<storage::ActorRecord> find_moderator(storage::Connection& conn,
                                            const AccountSettings& settings,
                                            const std::string& who) {
  std::optional<storage::ActorRecord> found;
  if (who.find("://") != std::string::npos) {
    auto actor = storage::actors::find_by_uri(conn, who);
    if (!actor) return actor.error();
    found = std::move(*actor);
  } else {
    std::string name = who.starts_with('@') ? who.substr(1) : who;
    if (const auto at = name.find('@'); at != std::string::npos) {
      if (name.substr(at + 1) != settings.handle_domain) return ServiceError::unknown_moderator;
      name.resize(at);
    }
    auto actor = storage::actors::find_local_by_username(conn, name);
    if (!actor) return actor.error();
    found = std::move(*actor);
  }
  // A group cannot moderate a group, and the instance actor is nobody.
  if (!found || found->deleted_at || found->type == "Group" || found->type == "Application") {
    return ServiceError::unknown_moderator;
  }
  return std::move(*found);
}

Result<void> add_moderators(storage::Connection& conn, const AccountSettings& settings,
                            std::int64_t group_id, const std::vector<std::string>& who,
                            storage::Millis now) {
  for (const auto& w : who) {
    auto actor = find_moderator(conn, settings, w);
    if (!actor) return actor.error();
    if (auto added = storage::groups::add_moderator(conn, group_id, actor->id, now); !added) {
      return added.error();
    }
  }
  return {};
}

std::string paragraphs_html(std::string_view text) {
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find("\n\n", start);
    if (end == std::string_view::npos) end = text.size();
    if (end > start) {
      out += "<p>" + federation::text::html_escape(text.substr(start, end - start)) + "</p>";
    }
    start = end + 2;
  }
  return out;
}

Result<storage::ActorRecord> live_group_actor(storage::Connection& conn, const std::string& name) {
  auto actor = storage::actors::find_local_by_username(conn, name);
  if (!actor) return actor.error();
  if (!*actor || (*actor)->deleted_at || (*actor)->type != "Group") {
    return ServiceError::unknown_group;
  }
  return std::move(**actor);
}

Result<GroupInfo> info_or_unknown(storage::Connection& conn, const storage::ActorRecord& actor) {
  auto info = group_info(conn, actor);
  if (!info) return info.error();
  if (!*info) return ServiceError::unknown_group;
  return std::move(**info);
}

Result<void> apply_change(storage::Connection& conn, const AccountSettings& settings,
                          storage::ActorRecord actor, const GroupChange& change,
                          storage::Millis now) {
  auto current = storage::groups::find(conn, actor.id);
  if (!current) return current.error();
  if (!*current) return ServiceError::unknown_group;
  storage::groups::GroupSettings next = **current;
  if (change.members_only) next.members_only = *change.members_only;
  if (change.posting_restricted_to_mods) {
    next.posting_restricted_to_mods = *change.posting_restricted_to_mods;
  }
  if (change.sensitive) next.sensitive = *change.sensitive;
  next.updated_at = now;
  if (auto r = storage::groups::update(conn, next); !r) return r;
  if (change.display_name) {
    actor.display_name = change.display_name->empty() ? actor.username : *change.display_name;
  }
  if (change.summary) actor.summary_html = paragraphs_html(*change.summary);
  if (change.approve_members) actor.manually_approves_followers = *change.approve_members;
  actor.updated_at = now;
  if (auto r = storage::actors::update_local_profile(conn, actor); !r) return r;
  if (auto r = add_moderators(conn, settings, actor.id, change.add_moderators, now); !r) return r;
  for (const auto& w : change.remove_moderators) {
    auto who = find_moderator(conn, settings, w);
    if (!who) return who.error();
    auto removed = storage::groups::remove_moderator(conn, actor.id, who->id);
    if (!removed) return removed.error();
  }
  return {};
}

}  // namespace

Result<storage::ActorRecord> find_live_group(storage::Connection& conn, const std::string& name) {
  return live_group_actor(conn, name);
}

Result<std::optional<GroupInfo>> group_info(storage::Connection& conn,
                                            const storage::ActorRecord& actor) {
  using Info = std::optional<GroupInfo>;
  auto settings = storage::groups::find(conn, actor.id);
  if (!settings) return settings.error();
  if (!*settings) return Info();
  GroupInfo info;
  info.actor = actor;
  info.settings = **settings;
  auto moderators = storage::groups::moderators(conn, actor.id);
  if (!moderators) return moderators.error();
  info.moderators = std::move(*moderators);
  auto members = storage::follows::count_followers(conn, actor.id);
  if (!members) return members.error();
  info.members = *members;
  auto pending = storage::follows::pending_followers_page(conn, actor.id, kPendingCounted, 0);
  if (!pending) return pending.error();
  info.pending = static_cast<std::int64_t>(pending->size());
  auto posts = storage::groups::count_posts(conn, actor.id);
  if (!posts) return posts.error();
  info.posts = *posts;
  return Info(std::move(info));
}

Result<GroupInfo> create_group(storage::Database& db, const AccountSettings& settings,
                               const NewGroup& group) {
  const storage::Millis now = group.now.value_or(federation::system_now_millis());
  NewAccount account;
  account.username = group.name;
  account.type = AccountType::group;
  account.display_name = group.display_name;
  account.summary = group.summary;
  account.now = now;
  const AlsoOnCreate also = [&](storage::Connection& conn,
                                const storage::ActorRecord& actor) -> Result<void> {
    if (group.approve_members) {
      storage::ActorRecord held = actor;
      held.manually_approves_followers = true;
      if (auto r = storage::actors::update_local_profile(conn, held); !r) return r;
    }
    storage::groups::GroupSettings row;
    row.actor_id = actor.id;
    row.members_only = group.members_only;
    row.posting_restricted_to_mods = group.posting_restricted_to_mods;
    row.sensitive = group.sensitive;
    row.created_at = row.updated_at = now;
    if (auto r = storage::groups::insert(conn, row); !r) return r;
    return add_moderators(conn, settings, actor.id, group.moderators, now);
  };
  auto created = create_local_account(db, settings, account, also);
  if (!created) return created.error();
  return get_group(db, created->username);
}

Result<GroupInfo> update_group(storage::Database& db, const AccountSettings& settings,
                               const std::string& name, const GroupChange& change) {
  const storage::Millis now = change.now.value_or(federation::system_now_millis());
  auto done = db.write_sync([&](storage::Connection& conn) -> Result<void> {
    auto actor = live_group_actor(conn, name);
    if (!actor) return actor.error();
    return apply_change(conn, settings, std::move(*actor), change, now);
  });
  if (!done) return done.error();
  return get_group(db, name);
}

Result<GroupInfo> get_group(storage::Database& db, const std::string& name) {
  return db.read([&](storage::Connection& conn) -> Result<GroupInfo> {
    auto actor = live_group_actor(conn, name);
    if (!actor) return actor.error();
    return info_or_unknown(conn, *actor);
  });
}

Result<std::vector<GroupInfo>> list_groups(storage::Database& db) {
  return db.read([&](storage::Connection& conn) -> Result<std::vector<GroupInfo>> {
    auto actors = storage::groups::list(conn);
    if (!actors) return actors.error();
    std::vector<GroupInfo> out;
    for (const auto& actor : *actors) {
      auto info = info_or_unknown(conn, actor);
      if (!info) return info.error();
      out.push_back(std::move(*info));
    }
    return out;
  });
}

}  // namespace civicpub::server::services

namespace civicpub::server::services {

Result<GroupMembers> group_members(storage::Database& db, const std::string& name) {
  return db.read([&](storage::Connection& conn) -> Result<GroupMembers> {
    auto actor = live_group_actor(conn, name);
    if (!actor) return actor.error();
    GroupMembers out;
    out.group = std::move(*actor);
    auto members = storage::follows::followers_page(conn, out.group.id, kMembersListed, 0);
    if (!members) return members.error();
    out.members = std::move(*members);
    auto pending = storage::follows::pending_followers_page(conn, out.group.id, kMembersListed, 0);
    if (!pending) return pending.error();
    out.pending = std::move(*pending);
    return out;
  });
}

Result<storage::ActorRecord> answer_member(storage::Database& db, const std::string& name,
                                           const std::string& who, MemberAnswer answer,
                                           storage::Millis now) {
  auto listed = group_members(db, name);
  if (!listed) return listed.error();
  std::optional<storage::ActorRecord> target;
  for (const auto& a : listed->pending) {
    if (names(a, who)) target = a;
  }
  if (!target && answer == MemberAnswer::reject) {
    for (const auto& a : listed->members) {
      if (names(a, who)) target = a;
    }
  }
  if (!target) return ServiceError::not_following;
  const std::int64_t group_id = listed->group.id;
  const std::int64_t follower_id = target->id;
  auto done = db.write_sync([&](storage::Connection& conn) -> Result<void> {
    if (answer == MemberAnswer::approve) {
      auto approved = approve_follow(conn, follower_id, group_id, now);
      if (!approved) return approved.error();
      return {};
    }
    return reject_follow(conn, follower_id, group_id, now);
  });
  if (!done) return done.error();
  return std::move(*target);
}

}  // namespace civicpub::server::services

namespace civicpub::server::services {

Result<std::size_t> send_group_update(storage::Database& db,
                                      const federation::as2::InstanceInfo& instance,
                                      const std::string& name, storage::Millis now) {
  auto group = get_group(db, name);
  if (!group) return group.error();
  federation::as2::ActorExtras extras;
  auto key = views::assertion_key(db, group->actor.id);
  if (!key) return key.error();
  extras.assertion_key = std::move(*key);
  auto group_extras = views::group_extras(db, group->actor);
  if (!group_extras) return group_extras.error();
  extras.group = std::move(*group_extras);
  const std::string id = group->actor.uri + "#updates/" + std::to_string(now);
  const std::string body =
      federation::convert::render_update_actor(id, group->actor, instance, extras);
  const std::int64_t group_id = group->actor.id;
  return db.write_sync([&](storage::Connection& conn) -> Result<std::size_t> {
    auto inboxes = storage::follows::follower_inboxes(conn, group_id);
    if (!inboxes) return inboxes.error();
    return federation::enqueue_activity(conn, id, group_id, body, *inboxes, now);
  });
}

}  // namespace civicpub::server::services
