// Getting posts we do not have yet: a reply's parent, its parent, and so on (INTEROP.md section
// 4, "Ancestors"). An interface so the posting service, the thread views and the CLI can be
// tested with a fake; RemotePosts (federation/remote_posts.hpp) is the real one, fetching with
// GETs signed by the instance actor.
#pragma once

#include "storage/error_kind.hpp"
#include "storage/records.hpp"

#include <boost/asio/awaitable.hpp>

#include <cstddef>
#include <string>

namespace civicpub::federation {

class PostFetcher {
 public:
  virtual ~PostFetcher() = default;

  // The post with id `uri`: from storage when stored (a deleted one comes back with deleted_at
  // set), else fetched from its origin, checked (origin, author, tombstones) and stored together
  // with its author. Errors: FederationError (fetch_failed, id_mismatch, origin_mismatch, ...),
  // as2::Errc for a document that is no post, storage errors.
  virtual boost::asio::awaitable<Result<storage::PostRecord>> post(std::string uri) = 0;

  // Fetches what is missing above the stored post `uri`, following inReplyTo, within the depth
  // cap (federation.thread_depth_limit) and the thread's fetch budget. Returns how many posts
  // were fetched; stopping at a cap or a failed fetch is not an error.
  virtual boost::asio::awaitable<Result<std::size_t>> ancestors(std::string uri) = 0;

  // The owner of the remote conversation `context_uri` (FEP-7888 `context.attributedTo`), for
  // when the thread's top post is not stored: the context collection is fetched and its
  // `attributedTo` resolved to a stored actor. The owner must live on the collection's host.
  // Errors: FederationError (object_not_found for a 404, a local URI or a collection without
  // attributedTo; object_gone, fetch_failed, id_mismatch, origin_mismatch), as2::Errc for a
  // document that is no JSON object, the resolver's errors.
  virtual boost::asio::awaitable<Result<storage::ActorRecord>> context_owner(
      std::string context_uri) = 0;
};

}  // namespace civicpub::federation
