#include "server/http/response.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <boost/beast/core/buffers_range.hpp>
#include <boost/beast/http/serializer.hpp>

namespace civicpub::server::http {

namespace bhttp = boost::beast::http;

Response json_response(bhttp::status status, std::string body, std::string_view content_type) {
  Response res{status, 11};
  res.set(bhttp::field::content_type, content_type);
  res.body() = std::move(body);
  return res;
}

std::string serialize(const Response& res) {
  std::string out;
  out.reserve(res.body().size() + 512);
  bhttp::response_serializer<bhttp::string_body> serializer{res};
  boost::system::error_code ec;
  while (!ec && !serializer.is_done()) {
    serializer.next(ec, [&](boost::system::error_code&, const auto& buffers) {
      std::size_t taken = 0;
      for (const auto buffer : boost::beast::buffers_range_ref(buffers)) {
        out.append(static_cast<const char*>(buffer.data()), buffer.size());
        taken += buffer.size();
      }
      serializer.consume(taken);
    });
  }
  return out;
}

Response error_response(bhttp::status status, std::string_view message) {
  // RapidJSON does the escaping, so a message with quotes or control characters stays valid JSON.
  rapidjson::StringBuffer out;
  rapidjson::Writer<rapidjson::StringBuffer> writer(out);
  writer.StartObject();
  writer.Key("error");
  writer.String(message.data(), static_cast<rapidjson::SizeType>(message.size()));
  writer.EndObject();
  return json_response(status, std::string(out.GetString(), out.GetSize()));
}

bhttp::status status_for(civicpub::ErrorKind kind) {
  using civicpub::ErrorKind;
  switch (kind) {
    case ErrorKind::invalid_input: return bhttp::status::bad_request;
    case ErrorKind::not_found: return bhttp::status::not_found;
    case ErrorKind::conflict: return bhttp::status::conflict;
    case ErrorKind::unauthorized: return bhttp::status::unauthorized;
    case ErrorKind::forbidden: return bhttp::status::forbidden;
    case ErrorKind::gone: return bhttp::status::gone;
    case ErrorKind::too_large: return bhttp::status::payload_too_large;
    case ErrorKind::unsupported: return bhttp::status::unsupported_media_type;
    case ErrorKind::transient: return bhttp::status::service_unavailable;
    case ErrorKind::internal: return bhttp::status::internal_server_error;
  }
  return bhttp::status::internal_server_error;
}

Response error_response(civicpub::ErrorKind kind, std::string_view message) {
  return error_response(status_for(kind), message);
}

}  // namespace civicpub::server::http
