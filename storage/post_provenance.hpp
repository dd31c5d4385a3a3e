// How a remote post was verified when it was stored (migration 10), for the open-data export of
// a consultation (issue 14 point 6): `signature` (delivered and HTTP-signed by its author),
// `proof` (delivered by someone else with the author's integrity proof), `origin` (fetched from
// the author's server: a forwarded copy without proof, a parent, a backfilled reply), with the
// activity that brought it. Local posts need no row: they were written here.
#pragma once

#include "storage/connection.hpp"
#include "storage/records.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace civicpub::storage::post_provenance {

// Records how post `post_id` was verified; the first record stays (a redelivery changes nothing).
Result<void> record(Connection& conn, std::int64_t post_id, std::string_view verified_by,
                    std::string_view activity_id, Millis received_at);

// A public reply anywhere below a thread's top post, for the export.
struct PublicReply {
  std::string ap_id;
  std::string author_uri;
  std::string author_username;
  std::string author_domain;
  bool local = false;
  Millis published = 0;
  std::string verified_by;  // signature, proof, origin, local; unknown for posts stored before
  std::string activity_id;  // the Create that brought it (empty when it was fetched alone)
};

// Every public, not deleted reply in the thread of `root_ap_id` (the top post excluded), oldest
// first, at most `limit`.
Result<std::vector<PublicReply>> public_replies(Connection& conn, const std::string& root_ap_id,
                                                int limit);

}  // namespace civicpub::storage::post_provenance
