// What a thread backfill needs from the remote post fetcher (federation/remote/remote_posts.hpp
// implements it): fetching within a thread's budget and cooldowns, reading collection pages with
// the same signed GET, and a reply's parents. ThreadBackfill depends on this seam, not on
// RemotePosts, so the two do not include each other.
#pragma once

#include "federation/remote/post_store.hpp"

#include <rapidjson/document.h>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <functional>
#include <string>

namespace civicpub::federation {

// Limits of one backfill of a thread (ThreadBackfill), on top of the thread's fetch budget.
struct BackfillSettings {
  int page_limit = 10;    // collection pages read per backfill (context, or replies collections)
  int item_limit = 500;   // post ids taken from those pages
  int depth_limit = 20;   // levels of replies collections crawled below the top post
  // A thread backfilled this recently is not read again (page reloads, timer after a reply).
  std::chrono::milliseconds thread_cooldown{std::chrono::minutes(10)};
};

// What fetch_for_thread did with one object.
enum class ThreadFetch {
  stored,        // fetched, checked and stored (or stored already)
  budget_spent,  // the thread's budget for the window is used up: nothing more for it now
  cooling_down,  // the object failed recently: not asked for again yet
  failed,        // the fetch or a check failed (recorded; the cooldown starts)
};

class ThreadFetcher {
 public:
  virtual ~ThreadFetcher() = default;

  // Whether `uri` may be fetched for `thread` now: ThreadFetch::stored stands for "yes";
  // budget_spent or cooling_down say why not.
  virtual Result<ThreadFetch> may_fetch(const std::string& uri, const std::string& thread) = 0;

  // The post at `uri` (stored, else fetched) within `thread`'s budget and the object's failure
  // cooldown; the attempt is recorded for the thread. With `belongs`, a fetched post it rejects
  // is not stored (a failure "not in the thread").
  using Belongs = std::function<bool(const CheckedPost&)>;
  virtual boost::asio::awaitable<ThreadFetch> fetch_for_thread(const std::string& uri,
                                                               const std::string& thread,
                                                               Belongs belongs) = 0;

  // GETs a JSON object that is no post (a collection, a collection page) with the signed fetch.
  virtual boost::asio::awaitable<Result<rapidjson::Document>> fetch_document(std::string uri) = 0;

  // Fetches the missing parents of the stored post `uri`.
  virtual boost::asio::awaitable<Result<std::size_t>> ancestors(std::string uri) = 0;
};

}  // namespace civicpub::federation
