// Remote posts we do not have yet: fetched with a GET signed by the instance actor, checked
// (the document's id is the URL asked for, the author lives on the same host, no tombstone),
// and stored with their author. Also walks up a thread (ancestors) within a depth cap, a visited
// set, a cooldown for objects that failed recently and a fetch budget per thread
// (storage::object_fetches), so one thread cannot cost unbounded requests (INTEROP.md sections 4
// and 6). Backfill (federation/remote/thread_backfill.hpp) reads a thread's collections through it
// under the same budget and cooldown.
#pragma once

#include "federation/remote/actor_resolver.hpp"
#include "federation/as2/instance_info.hpp"
#include "federation/clock.hpp"
#include "federation/http/transport.hpp"
#include "federation/remote/post_fetcher.hpp"
#include "federation/remote/post_hooks.hpp"
#include "federation/remote/thread_fetcher.hpp"
#include "federation/remote/post_store.hpp"
#include "federation/remote/signed_fetch.hpp"
#include "storage/database.hpp"

#include <rapidjson/document.h>
#include <spdlog/logger.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace civicpub::federation {

class ThreadBackfill;

struct RemotePostsSettings {
  int thread_depth_limit = 50;    // federation.thread_depth_limit
  int thread_fetch_budget = 100;  // federation.thread_fetch_budget, per budget_window
  // federation.host_fetch_budget: thread fetches per remote host per budget_window, so that many
  // threads pointing at one host cannot add up to an unbounded number of requests to it.
  int host_fetch_budget = 2000;
  std::chrono::milliseconds budget_window{std::chrono::hours(24)};
  // An object whose last fetch failed is not asked for again within this time.
  std::chrono::milliseconds failure_cooldown{std::chrono::minutes(10)};
  BackfillSettings backfill;
  // Domain blocks: posts, parents, collections there are never fetched, so backfill,
  // ancestors and refetches cannot bring a blocked server's content in; a post whose author is
  // blocked or suspended is not stored. Null: nothing is blocked.
  std::shared_ptr<const BlockList> blocks;
};

class RemotePosts final : public PostFetcher, public ThreadFetcher {
 public:
  // `hooks` run in the write that stores a new post or an edit (the server's notifications).
  RemotePosts(storage::Database& db, http::Transport& transport, as2::InstanceInfo instance,
              ActorResolver& resolver, Clock clock, RemotePostsSettings settings,
              std::shared_ptr<spdlog::logger> log, PostHooks hooks = {});
  ~RemotePosts() override;
  RemotePosts(const RemotePosts&) = delete;
  RemotePosts& operator=(const RemotePosts&) = delete;

  boost::asio::awaitable<Result<storage::PostRecord>> post(std::string uri) override;
  boost::asio::awaitable<Result<std::size_t>> ancestors(std::string uri) override;
  boost::asio::awaitable<Result<storage::ActorRecord>> context_owner(
      std::string context_uri) override;
  // ThreadBackfill::run with this object's settings.
  boost::asio::awaitable<Result<BackfillCounts>> backfill(std::string uri) override;

  // ThreadFetcher (thread_fetcher.hpp). fetch_for_thread is post(uri) within the budget; the
  // attempt is recorded in object_fetches for the thread (for the stored post's thread root).
  Result<ThreadFetch> may_fetch(const std::string& uri, const std::string& thread) override;
  boost::asio::awaitable<ThreadFetch> fetch_for_thread(const std::string& uri,
                                                       const std::string& thread,
                                                       Belongs belongs) override;

  // GETs a JSON object that is no post (a collection, a collection page) with the same signed
  // fetch: 2xx, a JSON object whose id is `uri` (after a redirect: on the final URL's host).
  // Errors: object_not_found (404, our own host), object_gone (410), fetch_failed,
  // id_mismatch, as2::DocumentError.
  boost::asio::awaitable<Result<rapidjson::Document>> fetch_document(std::string uri) override;

  // Fetches and checks the post at `uri` without storing it. Errors: object_gone (410, a
  // Tombstone served with its id, or a tombstone we keep; the first two are kept as tombstones),
  // object_not_found (404), fetch_failed, id_mismatch (the document's id is not `uri`; after a
  // redirect it must at least be on the final URL's host), origin_mismatch (the author on another
  // host than the id), as2::DocumentError for a document that is no post, and the resolver's errors for the
  // author.
  boost::asio::awaitable<Result<CheckedPost>> fetch(std::string uri);

  // Stores a checked post (store_remote_post in one write); idempotent. A post by an author on
  // a blocked domain (blocked_domain) or suspended (actor_suspended) is never stored.
  boost::asio::awaitable<Result<storage::PostRecord>> store(CheckedPost checked);

  // Applies an edit to a stored post (update_remote_post in one write).
  boost::asio::awaitable<Result<storage::PostRecord>> update(storage::PostRecord stored,
                                                             CheckedPost checked);

 private:
  Result<void> admissible(const CheckedPost& checked) const;
  // post(uri), but a fetched post `belongs` rejects is not stored (not_in_thread).
  boost::asio::awaitable<Result<storage::PostRecord>> post_if(std::string uri, Belongs belongs);

  storage::Database& db_;
  as2::InstanceInfo instance_;
  ActorResolver& resolver_;
  Clock clock_;
  RemotePostsSettings settings_;
  std::shared_ptr<spdlog::logger> log_;
  PostHooks hooks_;
  SignedFetcher fetcher_;
  std::unique_ptr<ThreadBackfill> backfill_;
};

}  // namespace civicpub::federation
