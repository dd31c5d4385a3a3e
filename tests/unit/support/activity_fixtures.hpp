// Activities as peers really send them, stored under tests/fixtures/activities.
#pragma once

#include "tests/unit/support/fixture_files.hpp"

#include <string>

namespace civicpub::test {

// The parsed activity tests/fixtures/activities/<name>.
inline rapidjson::Document load_activity(const std::string& name) {
  return parse_fixture("activities/" + name);
}

}  // namespace civicpub::test
