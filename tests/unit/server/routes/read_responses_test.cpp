#include "server/routes/read_responses.hpp"

#include <catch2/catch.hpp>

using namespace civicpub::server::routes;

TEST_CASE("query_param finds the first exact parameter, undecoded") {
  CHECK(query_param("resource=acct%3Aa%40b&x=1", "resource") == "acct%3Aa%40b");
  CHECK(query_param("x=1&page=2", "page") == "2");
  CHECK(query_param("pages=2", "page") == std::nullopt);
  CHECK(query_param("apage=2", "page") == std::nullopt);
  CHECK(query_param("page=1&page=2", "page") == "1");
  CHECK(query_param("page", "page") == "");
  CHECK(query_param("", "page") == std::nullopt);
}

TEST_CASE("page_param: absent, true, numbers - anything else is invalid input") {
  CHECK(page_param("").value() == std::nullopt);
  CHECK(page_param("x=1").value() == std::nullopt);
  CHECK(page_param("page=true").value() == std::optional<std::uint64_t>(1));
  CHECK(page_param("page=12").value() == std::optional<std::uint64_t>(12));
  for (const char* bad : {"page=", "page=0", "page=01", "page=-1", "page=1x", "page=9999999999"}) {
    INFO(bad);
    auto r = page_param(bad);
    REQUIRE_FALSE(r.has_value());
    CHECK(civicpub::kind_of(r.error()) == civicpub::ErrorKind::invalid_input);
  }
}
