// Freshness and coverage policy shared by both signature verifiers.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace civicpub::federation::signatures {

struct VerifyOptions {
  // A POST must sign its body digest (Mastodon and Fedify both require it).
  bool require_digest_on_post = true;
  // Mastodon (signed_request.rb): a Date/created is good until 5 minutes plus a 1 hour clock skew
  // margin have passed, and up to 1 hour ahead. Fedify allows +-1 hour. We take Mastodon's
  // window, the wider one in the past, so that every peer's retries within it still verify.
  std::chrono::seconds max_age{65 * 60};
  std::chrono::seconds max_future{60 * 60};
  // The hosts (host[:port], lowercase) this server answers to: its configured host and handle
  // domain. When set, a draft-cavage signature must cover `host` and the Host header must be one
  // of them, so a POST signed for another server's inbox cannot be replayed here. Empty: no
  // check (signature verification outside the inbox). RFC 9421 needs no list: its base is built
  // from our own authority (RequestOrigin), so a signature for another one cannot verify.
  std::vector<std::string> accepted_hosts;
};

}  // namespace civicpub::federation::signatures
