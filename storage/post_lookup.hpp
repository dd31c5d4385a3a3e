// Finding a post by what a person has at hand: the address of its HTML page. Apart from posts.hpp
// because only the admin's tools need it (civicpub thread takes a page URL as well as an id).
#pragma once

#include "storage/connection.hpp"
#include "storage/records.hpp"

#include <optional>
#include <string_view>

namespace civicpub::storage::posts {

// The post whose HTML page (`url`) is `url`: the first stored, should two claim it; deleted ones
// included, like find_by_ap_id. The url column has no index: this is a scan, fine for a command
// an admin types, not for a request handler.
Result<std::optional<PostRecord>> find_by_url(Connection& conn, std::string_view url);

}  // namespace civicpub::storage::posts
