// The one paging helper of the client API's list endpoints (timelines, account statuses,
// followers, following, follow requests, notifications, favourites, bookmarks): the page asked
// for by limit, max_id, since_id and min_id, and the answer with Mastodon's Link header
// (rel="next" first, then rel="prev").
#pragma once

#include "server/routes/api_request.hpp"
#include "server/views/api_reads.hpp"
#include "storage/paging.hpp"

#include <optional>
#include <string>

namespace civicpub::server::routes {

// limit (default 20, clamped to 1..`max_limit`), max_id, since_id, min_id (unparsable ids are
// ignored).
storage::PageQuery page_query(const Params& params, int max_limit = 40);

// `<url?max_id=oldest>; rel="next", <url?min_id=newest>; rel="prev"`, keeping `kept` query
// parameters (already encoded, "local=true&"); empty when the page is empty.
std::string page_link(const std::string& url, const std::string& kept,
                      std::optional<std::int64_t> newest, std::optional<std::int64_t> oldest);

// 200 with the page's JSON and its Link header (`kept` and, when the request gave one, the
// limit are kept in the links), or the error of a failed read.
http::Response page_answer(const ApiDeps& deps, const http::RequestContext& ctx,
                           const Params& params, const storage::PageQuery& query,
                           std::string kept, const Result<views::TimelinePage>& page);

}  // namespace civicpub::server::routes
