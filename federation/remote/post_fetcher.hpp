// Getting posts we do not have yet: a reply's parent, its parent, and so on (INTEROP.md section
// 4, "Ancestors"). An interface so the posting service, the thread views and the CLI can be
// tested with a fake; RemotePosts (federation/remote/remote_posts.hpp) is the real one, fetching with
// GETs signed by the instance actor.
#pragma once

#include "common/error_kind.hpp"
#include "storage/records.hpp"

#include <boost/asio/awaitable.hpp>

#include <cstddef>
#include <string>

namespace civicpub::federation {

// Where a backfill found the thread's posts.
enum class BackfillSource {
  none,     // nothing could be read (no context, no replies collection, or it failed)
  local,    // the thread is ours: storage is complete, nothing to fetch
  recent,   // the thread was backfilled within the cooldown: not read again
  context,  // the thread's context collection (FEP-7888 / FEP-f228)
  replies,  // replies collections crawled down from the top post
};

// "none", "local", "recent", "context", "replies".
const char* to_string(BackfillSource source) noexcept;

// What one backfill did, for logs and the CLI.
struct BackfillCounts {
  BackfillSource source = BackfillSource::none;
  std::size_t listed = 0;   // distinct post ids read from the collections
  std::size_t fetched = 0;  // of those, fetched and stored now
  std::size_t skipped = 0;  // not stored and not fetched: tombstoned, cooling down, over the
                            // thread's budget or the item cap, or the fetch failed
  std::size_t pages = 0;    // collection pages read
};

class PostFetcher {
 public:
  virtual ~PostFetcher() = default;

  // The post with id `uri`: from storage when stored (a deleted one comes back with deleted_at
  // set), else fetched from its origin, checked (origin, author, tombstones) and stored together
  // with its author. Errors: FederationError (fetch_failed, id_mismatch, origin_mismatch, ...),
  // as2::DocumentError for a document that is no post, storage errors.
  virtual boost::asio::awaitable<Result<storage::PostRecord>> post(std::string uri) = 0;

  // Fetches what is missing above the stored post `uri`, following inReplyTo, within the depth
  // cap (federation.thread_depth_limit) and the thread's fetch budget. Returns how many posts
  // were fetched; stopping at a cap or a failed fetch is not an error.
  virtual boost::asio::awaitable<Result<std::size_t>> ancestors(std::string uri) = 0;

  // The owner of the remote conversation `context_uri` (FEP-7888 `context.attributedTo`), for
  // when the thread's top post is not stored: the context collection is fetched and its
  // `attributedTo` resolved to a stored actor. The owner must live on the collection's host.
  // Errors: FederationError (object_not_found for a 404, a local URI or a collection without
  // attributedTo; object_gone, fetch_failed, id_mismatch, origin_mismatch), as2::DocumentError for a
  // document that is no JSON object, the resolver's errors.
  virtual boost::asio::awaitable<Result<storage::ActorRecord>> context_owner(
      std::string context_uri) = 0;

  // Fetches the posts of the thread of the stored post `uri` that are not stored here: from the
  // thread's context collection, else by crawling replies collections from the top post, within
  // the thread's fetch budget, the per-object failure cooldown and the backfill caps (pages,
  // items, depth). A thread whose top post is ours is complete (source `local`); one backfilled
  // within the thread cooldown is not read again (source `recent`). Unreadable collections are
  // no error. Errors: object_not_found when `uri` is not stored, storage errors.
  virtual boost::asio::awaitable<Result<BackfillCounts>> backfill(std::string uri) = 0;
};

}  // namespace civicpub::federation
