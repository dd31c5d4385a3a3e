#include "server/http/api_status.hpp"

#include "server/http/response.hpp"

namespace civicpub::server::http {

boost::beast::http::status api_status_for(civicpub::ErrorKind kind) {
  if (kind == civicpub::ErrorKind::invalid_input) {
    return boost::beast::http::status::unprocessable_entity;
  }
  return status_for(kind);
}

}  // namespace civicpub::server::http
