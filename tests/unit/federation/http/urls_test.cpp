// URL helpers (federation/http/urls): the authority a URL names, as the delivery worker keys its
// per-host limits and health by it.
#include "federation/http/urls.hpp"

#include <catch2/catch.hpp>

#include <optional>
#include <string>

namespace http = civicpub::federation::http;

TEST_CASE("authority_of keeps host and port, lowercased - refuses what is no URL") {
  CHECK(http::authority_of("https://Remote.Example/inbox") ==
        std::optional<std::string>("remote.example"));
  CHECK(http::authority_of("http://127.0.0.1:8081/users/anna/inbox") ==
        std::optional<std::string>("127.0.0.1:8081"));
  CHECK_FALSE(http::authority_of("not a url"));
  CHECK_FALSE(http::authority_of("/relative/inbox"));
}
