#include "server/http/response.hpp"

#include <catch2/catch.hpp>

namespace bhttp = boost::beast::http;
using civicpub::ErrorKind;
using namespace civicpub::server::http;

TEST_CASE("each error kind maps to its HTTP status") {
  CHECK(status_for(ErrorKind::invalid_input) == bhttp::status::bad_request);
  CHECK(status_for(ErrorKind::not_found) == bhttp::status::not_found);
  CHECK(status_for(ErrorKind::conflict) == bhttp::status::conflict);
  CHECK(status_for(ErrorKind::unauthorized) == bhttp::status::unauthorized);
  CHECK(status_for(ErrorKind::forbidden) == bhttp::status::forbidden);
  CHECK(status_for(ErrorKind::gone) == bhttp::status::gone);
  CHECK(status_for(ErrorKind::too_large) == bhttp::status::payload_too_large);
  CHECK(status_for(ErrorKind::unsupported) == bhttp::status::unsupported_media_type);
  CHECK(status_for(ErrorKind::transient) == bhttp::status::service_unavailable);
  CHECK(status_for(ErrorKind::internal) == bhttp::status::internal_server_error);
}

TEST_CASE("error responses are escaped JSON objects") {
  auto res = error_response(ErrorKind::gone, "said \"bye\"\n");
  CHECK(res.result() == bhttp::status::gone);
  CHECK(res[bhttp::field::content_type] == "application/json");
  CHECK(res.body() == R"({"error":"said \"bye\"\n"})");
  auto ok = json_response(bhttp::status::ok, "{}", "application/activity+json");
  CHECK(ok[bhttp::field::content_type] == "application/activity+json");
}
