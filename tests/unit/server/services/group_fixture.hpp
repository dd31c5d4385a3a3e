// PostFixture (post_service_fixture.hpp) with civic groups: a group is created with
// services::create_group and posted in with PostService::publish.
#pragma once

#include "server/services/groups.hpp"
#include "tests/unit/server/services/post_service_fixture.hpp"

#include <string>

namespace civicpub::testing {

inline const server::services::AccountSettings kSettings{"https://town.example", "town.example"};

struct GroupFixture : PostFixture {
  server::services::GroupInfo create(server::services::NewGroup g) {
    if (g.name.empty()) g.name = "wijkraad";
    g.now = kNow;
    auto created = server::services::create_group(*db, kSettings, g);
    REQUIRE(created);
    return *created;
  }
  Result<server::services::PostOutcome> post_in(const std::string& group, std::string text,
                                                std::string as = "town") {
    server::services::PublishRequest r;
    r.author = std::move(as);
    r.text = std::move(text);
    if (!group.empty()) r.group = group;  // "": no --group
    return test::run(service.publish(std::move(r)));
  }
};

}  // namespace civicpub::testing
