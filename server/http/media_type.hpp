// Parsing of media types (RFC 9110 section 8.3.1) and Accept lists (section 12.5.1), shared by
// content negotiation and the router's Content-Type check.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace civicpub::server::http {

struct MediaType {
  std::string type;     // lower-case, e.g. "application"
  std::string subtype;  // lower-case, e.g. "ld+json"
  // Parameters in order; names lower-cased, values unquoted (case kept: profile URIs are
  // case-sensitive).
  std::vector<std::pair<std::string, std::string>> params;

  std::string essence() const { return type + "/" + subtype; }
  std::optional<std::string_view> param(std::string_view name) const;
};

// One media type such as a Content-Type value; nullopt when it is not type/subtype.
std::optional<MediaType> parse_media_type(std::string_view text);

struct MediaRange {
  MediaType media;
  double q = 1.0;  // from the "q" parameter, which is not kept in media.params
};

// The entries of an Accept header, in order; malformed entries are skipped.
std::vector<MediaRange> parse_accept(std::string_view accept);

}  // namespace civicpub::server::http
