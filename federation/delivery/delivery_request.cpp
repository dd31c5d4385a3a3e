#include "federation/delivery/delivery_request.hpp"

#include "federation/crypto/key_cache.hpp"
#include "federation/http/error.hpp"
#include "federation/signatures/cavage_signer.hpp"

#include <boost/url/parse.hpp>

#include <chrono>
#include <memory>

namespace civicpub::federation::delivery {
namespace {

constexpr const char* kContentType = "application/activity+json";
constexpr const char* kAccept =
    "application/activity+json, application/ld+json; "
    "profile=\"https://www.w3.org/ns/activitystreams\"";

// The request line's target for a hop: path and query as they will be sent.
std::string request_target(const boost::urls::url_view& url) {
  std::string target(url.encoded_path());
  if (target.empty()) target = "/";
  if (url.has_query()) {
    target += '?';
    target += url.encoded_query();
  }
  return target;
}

std::string authority(const boost::urls::url_view& url) {
  return std::string(url.encoded_host_and_port());
}

// Signs `request` for the hop to `url`, replacing Date, Digest and Signature of any earlier hop.
Result<void> sign_for_hop(http::OutboundRequest& request, const boost::urls::url_view& url,
                          const SigningKey& key, const Clock& clock) {
  signatures::HeaderList headers;
  for (const auto& [name, value] : request.headers) headers.add(name, value);
  headers.remove("Signature");
  const std::string target = request_target(url);
  const std::string host =
      request.header("Host") ? std::string(*request.header("Host")) : authority(url);
  const signatures::CavageSignInput input{
      "POST",
      target,
      host,
      request.body,
      key.key_id,
      key.private_pem,
      std::chrono::system_clock::time_point(std::chrono::milliseconds(clock()))};
  if (auto r = signatures::sign_request(input, headers); !r) return r.error();
  request.headers = headers.entries();
  return {};
}

}  // namespace

Result<http::OutboundRequest> build_delivery_request(const storage::DeliveryRecord& row,
                                                     SigningKey key, Clock clock) {
  auto url = boost::urls::parse_absolute_uri(row.inbox_url);
  if (!url) return make_error_code(http::HttpError::bad_url);

  http::OutboundRequest request;
  request.method = boost::beast::http::verb::post;
  request.url = row.inbox_url;
  request.body = row.body;
  request.set_header("Content-Type", kContentType);
  request.set_header("Accept", kAccept);
  // User-Agent is the client's (ClientSettings::user_agent).

  // The key is checked (and parsed into crypto's key cache) now; the signature is made per hop,
  // at send time. (Signing a copy here as well doubled the RSA work of every delivery.)
  if (!crypto::cached_rsa_private_key(key.private_pem)) {
    return make_error_code(signatures::SignatureError::key_mismatch);  // as sign_request says
  }

  auto shared_key = std::make_shared<const SigningKey>(std::move(key));
  request.sign = [shared_key, clock = std::move(clock)](http::OutboundRequest& r,
                                                        const boost::urls::url_view& hop) {
    // The key was checked above, so this fails only on a key id the header cannot carry (ours
    // are <actor>#main-key) or when OpenSSL itself fails; an unsigned request would be refused
    // with 401, never mistaken for ours.
    if (!sign_for_hop(r, hop, *shared_key, clock)) r.set_header("Signature", "");
  };
  return request;
}

}  // namespace civicpub::federation::delivery
