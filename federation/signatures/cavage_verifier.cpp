#include "federation/signatures/cavage_verifier.hpp"

#include "federation/crypto/key_cache.hpp"
#include "federation/crypto/rsa_signature.hpp"
#include "federation/signatures/digest.hpp"
#include "federation/signatures/freshness.hpp"
#include "federation/http/http_date.hpp"

#include <algorithm>

namespace civicpub::federation::signatures {
namespace {

bool covers(const ParsedSignature& parsed, std::string_view name) {
  return std::find(parsed.headers.begin(), parsed.headers.end(), name) != parsed.headers.end();
}

Result<void> check_algorithm(const ParsedSignature& parsed) {
  // hs2019 means "take the algorithm from the key"; our keys are RSA, so both names mean RSA
  // PKCS#1 v1.5 SHA-256. An absent algorithm is hs2019 for Mastodon.
  if (parsed.algorithm.empty() || iequals(parsed.algorithm, "rsa-sha256") ||
      iequals(parsed.algorithm, "hs2019")) {
    return {};
  }
  return SignatureError::unsupported_algorithm;
}

Result<void> check_coverage(const ParsedSignature& parsed, const SignedRequestView& request,
                            const VerifyOptions& options) {
  // Without (request-target) a signature could be replayed to another path; every peer we know
  // (Mastodon, Fedify, GoToSocial, Misskey) covers it, and Fedify itself requires it.
  if (!covers(parsed, "(request-target)")) return SignatureError::header_not_covered;
  bool created_ok = covers(parsed, "(created)") && parsed.created;
  if (!covers(parsed, "date") && !created_ok) return SignatureError::header_not_covered;
  if (options.require_digest_on_post && iequals(request.method, "POST") &&
      !covers(parsed, "digest")) {
    return SignatureError::header_not_covered;
  }
  const bool need_host = iequals(request.method, "GET") || !options.accepted_hosts.empty();
  if (need_host && !covers(parsed, "host")) return SignatureError::header_not_covered;
  return {};
}

// "town.example:443" is "town.example" over https (and :80 over http): compare without it.
std::string without_default_port(std::string host) {
  for (std::string_view port : {":443", ":80"}) {
    if (host.ends_with(port)) host.resize(host.size() - port.size());
  }
  return host;
}

// The Host the client signed must name this server (issue 11: a POST signed for another
// server's inbox is not valid here).
Result<void> check_host(const SignedRequestView& request, const VerifyOptions& options) {
  if (options.accepted_hosts.empty()) return {};
  auto host = request.headers.find("host");
  if (!host) return SignatureError::missing_header;
  const auto signed_host = without_default_port(to_lower(*host));
  for (const auto& ours : options.accepted_hosts) {
    if (signed_host == without_default_port(to_lower(ours))) return {};
  }
  return SignatureError::wrong_host;
}

Result<void> check_time(const ParsedSignature& parsed, const SignedRequestView& request,
                        std::chrono::system_clock::time_point now, const VerifyOptions& options) {
  std::optional<SysSeconds> signed_at;
  if (covers(parsed, "(created)") && parsed.created) {
    signed_at = SysSeconds(std::chrono::seconds(*parsed.created));
  } else {
    auto date = request.headers.find("date");
    if (!date) return SignatureError::missing_header;
    signed_at = http::parse_http_date_strict(*date);
    if (!signed_at) return SignatureError::malformed_header;
  }
  std::optional<SysSeconds> expires_at;
  if (parsed.expires) expires_at = SysSeconds(std::chrono::seconds(*parsed.expires));
  return check_freshness(*signed_at, expires_at, now, options);
}

}  // namespace

Result<void> check_cavage_request(const ParsedSignature& parsed, const SignedRequestView& request,
                                  std::chrono::system_clock::time_point now,
                                  const VerifyOptions& options) {
  if (auto r = check_algorithm(parsed); !r) return r;
  if (auto r = check_coverage(parsed, request, options); !r) return r;
  if (auto r = check_host(request, options); !r) return r;
  if (covers(parsed, "digest")) {
    auto digest = request.headers.find("digest");
    if (!digest) return SignatureError::missing_header;
    if (auto r = check_digest_header(*digest, request.body); !r) return r;
  }
  return check_time(parsed, request, now, options);
}

Result<void> verify_cavage(const ParsedSignature& parsed, const SignedRequestView& request,
                           std::string_view public_pem, std::chrono::system_clock::time_point now,
                           const VerifyOptions& options) {
  if (auto r = check_cavage_request(parsed, request, now, options); !r) return r;

  auto key = crypto::cached_rsa_public_key(public_pem);
  if (!key) return SignatureError::key_mismatch;
  auto with_query = build_signing_string(parsed.headers, request, parsed.created, parsed.expires);
  if (!with_query) return with_query.error();
  if (crypto::rsa_sha256_verify(key->get(), *with_query, parsed.signature)) return {};
  // Fedify signs (request-target) with the path alone; Mastodon with the query (and accepts
  // both, signed_request.rb). Only worth a second try when there is a query to drop.
  if (request.target.find('?') != std::string_view::npos) {
    auto path_only =
        build_signing_string(parsed.headers, request, parsed.created, parsed.expires, false);
    if (path_only && crypto::rsa_sha256_verify(key->get(), *path_only, parsed.signature)) {
      return {};
    }
  }
  return SignatureError::bad_signature;
}

}  // namespace civicpub::federation::signatures
