// A consultation's HTML page and its open-data export (issue 14; docs/consultations.md):
//   GET /users/{name}/statuses/{id}               the page, when the post is a consultation
//                                                 (post_routes.cpp asks consultation_page_for)
//   GET /users/{name}/statuses/{id}/export.csv    counts per option and eligibility
//   GET /users/{name}/statuses/{id}/export.json   the same with the state and deadline
// The exports carry counts only: who voted what is personal data (GDPR) and is exported by the
// admin's `civicpub consultation export --with-voters` alone.
//   GET /users/{name}/consultations               the account's consultations, newest first
//   GET /users/{name}/consultations.atom          the same as an Atom feed
#pragma once

#include "server/http/request.hpp"
#include "server/http/response.hpp"
#include "server/http/router.hpp"
#include "server/routes/read_deps.hpp"
#include "storage/records.hpp"

#include <optional>

namespace civicpub::server::routes {

// The consultation page of the local post `post`, or unset when it is no consultation.
std::optional<http::Response> consultation_page_for(const ReadDeps& deps,
                                                    const http::RequestContext& ctx,
                                                    const storage::PostRecord& post);

void register_consultation_routes(http::Router& router, const ReadDeps& deps);

}  // namespace civicpub::server::routes
