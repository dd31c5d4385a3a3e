// Body digests: the legacy `Digest` header (RFC 3230) that draft-cavage signatures cover, and
// RFC 9530 `Content-Digest` that RFC 9421 signatures cover.
#pragma once

#include "federation/signatures/signature_error.hpp"

#include <string>
#include <string_view>

namespace civicpub::federation::signatures {

// "SHA-256=<base64>", the exact form Mastodon sends.
std::string make_digest_header(std::string_view body);

// Several digests may be listed ("SHA-256=...,SHA-512=..."); the algorithm token is
// case-insensitive. A SHA-256 entry must be present and match the body; others are ignored
// (Mastodon accepts only SHA-256 and refuses a header without it). Errors: digest_mismatch.
Result<void> check_digest_header(std::string_view value, std::string_view body);

// "sha-256=:<base64>:" (an RFC 8941 dictionary with a byte sequence).
std::string make_content_digest_header(std::string_view body);

// The value must parse as an RFC 8941 dictionary holding a "sha-256" byte sequence equal to the
// body's digest (as Mastodon requires). Errors: digest_mismatch (also for an unparsable value:
// a bad digest is a failed proof of the body, hence 401 like the rest).
Result<void> check_content_digest_header(std::string_view value, std::string_view body);

}  // namespace civicpub::federation::signatures
