// A local civic group over the inbound pipeline (tests/unit/server/inbound/inbound_fixtures.hpp):
// members join by Follow, and what the group sends is read back from the delivery queue.
#pragma once

#include "tests/unit/server/inbound/inbound_fixtures.hpp"

#include "federation/as2/reader.hpp"
#include "storage/deliveries.hpp"
#include "storage/groups.hpp"
#include "tests/unit/support/fixture_files.hpp"

#include <string>
#include <vector>

namespace civicpub::test {

struct GroupWorld : InboundWorld {
  storage::ActorRecord group;

  explicit GroupWorld(bool members_only = false, bool mods_only = false) {
    group = add_local("wijkraad", "Group", false);
    auto done = db->write_sync([&](storage::Connection& c) -> Result<void> {
      storage::groups::GroupSettings s;
      s.actor_id = group.id;
      s.members_only = members_only;
      s.posting_restricted_to_mods = mods_only;
      s.created_at = s.updated_at = now;
      return storage::groups::insert(c, s);
    });
    REQUIRE(done);
  }

  void join(const RemoteActor& who, const std::string& n) {
    deliver(who, follow_json(who.uri + "/follows/" + n, who.uri, group.uri));
  }
  void add_moderator(const storage::ActorRecord& who) {
    REQUIRE(db->write_sync([&](storage::Connection& c) {
      return storage::groups::add_moderator(c, group.id, who.id, now);
    }));
  }
  std::vector<storage::DeliveryRecord> deliveries() {
    return read([&](storage::Connection& c) { return storage::deliveries::due(c, now + 1, 100); });
  }
  // The deliveries of activities of `type` signed by the group.
  std::vector<storage::DeliveryRecord> group_sent(const std::string& type) {
    std::vector<storage::DeliveryRecord> out;
    for (auto& d : deliveries()) {
      if (d.actor_id != group.id) continue;
      auto doc = federation::as2::parse_json(d.body);
      REQUIRE(doc);
      if (federation::as2::first_type(*doc) == type) out.push_back(std::move(d));
    }
    return out;
  }
  std::int64_t announced() {
    return read([&](storage::Connection& c) { return storage::groups::count_posts(c, group.id); });
  }
};

// A real Lemmy activity (tests/fixtures/activities) sent to our group instead of its community.
inline std::string lemmy_to_group(const std::string& fixture, const std::string& group) {
  std::string text = read_fixture("activities/" + fixture);
  const std::string community = "https://lemmy.example/c/townplanning";
  for (auto at = text.find(community); at != std::string::npos; at = text.find(community, at)) {
    text.replace(at, community.size(), group);
    at += group.size();
  }
  return text;
}

}  // namespace civicpub::test
