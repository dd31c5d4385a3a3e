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

TEST_CASE("serialize writes the status line, the header fields and the body as sent") {
  auto res = json_response(bhttp::status::accepted, "{}");
  res.keep_alive(true);
  res.prepare_payload();
  CHECK(serialize(res) ==
        "HTTP/1.1 202 Accepted\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");

  auto closing = error_response(bhttp::status::not_found, "no such page");
  closing.keep_alive(false);
  closing.prepare_payload();
  CHECK(serialize(closing) ==
        "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nConnection: close\r\n"
        "Content-Length: 24\r\n\r\n{\"error\":\"no such page\"}");

  Response big{bhttp::status::ok, 11};
  big.body() = std::string(100000, 'b');
  big.prepare_payload();
  const auto wire = serialize(big);
  CHECK(wire.size() ==
        std::string("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n").size() + 100000);
  CHECK(wire.substr(wire.size() - 100000) == big.body());
}
