// draft-cavage-http-signatures-12 `Signature` header: its parsed form and its signing string.
#pragma once

#include "federation/signatures/signature_error.hpp"
#include "federation/signatures/signed_request_view.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace civicpub::federation::signatures {

struct ParsedSignature {
  std::string key_id;     // e.g. https://host/users/alice#main-key: the inbox resolves it
  std::string algorithm;  // as sent; empty when absent (Mastodon then assumes hs2019)
  std::vector<std::string> headers;  // lowercased; absent `headers` means {"date"}
  std::string signature;             // decoded bytes
  std::optional<int64_t> created;
  std::optional<int64_t> expires;
};

// Parses `keyId="...",algorithm="...",headers="...",signature="..."[,created=N][,expires=N]`.
// keyId and signature are required; unknown parameters are ignored; a repeated parameter, a
// non-base64 signature or a non-integer created/expires is malformed. An empty value means
// missing_signature.
Result<ParsedSignature> parse_signature_header(std::string_view value);

// The Signature header of `headers`, parsed. Errors: missing_signature, malformed_header.
Result<ParsedSignature> parse_request_signature(const HeaderList& headers);

// The signing string for the covered `names`: "name: value" lines joined by "\n", no trailing
// newline. `(request-target)` is "<lowercase method> <target>", where the target keeps its query
// unless `include_query` is false (Fedify signs the path alone, Mastodon with the query).
// Errors: missing_header (a covered header is absent), malformed_header ((created) or (expires)
// covered without the parameter).
Result<std::string> build_signing_string(const std::vector<std::string>& names,
                                         const SignedRequestView& request,
                                         std::optional<int64_t> created,
                                         std::optional<int64_t> expires, bool include_query = true);

}  // namespace civicpub::federation::signatures
