// Backfill: completing a remote thread we store part of (INTEROP.md section 4). The thread's
// `context` collection (FEP-7888 / FEP-f228) lists its posts; servers without one are crawled
// through the `replies` collections of the posts, breadth-first from the top post. Every id read
// is fetched through the ThreadFetcher (RemotePosts), so the origin checks, tombstones, the thread's fetch budget
// and the per-object failure cooldown all apply; embedded objects are never trusted, only their
// ids are taken. Collection pages count against the same budget (object_fetches).
#pragma once

#include "federation/as2/instance_info.hpp"
#include "federation/clock.hpp"
#include "federation/remote/post_fetcher.hpp"
#include "federation/remote/thread_fetcher.hpp"
#include "storage/database.hpp"

#include <rapidjson/document.h>
#include <spdlog/logger.h>
#include <boost/asio/awaitable.hpp>

#include <memory>
#include <set>
#include <string>
#include <vector>

namespace civicpub::federation {

class ThreadBackfill {
 public:
  ThreadBackfill(storage::Database& db, ThreadFetcher& posts, as2::InstanceInfo instance,
                 Clock clock, BackfillSettings settings, std::shared_ptr<spdlog::logger> log);

  // PostFetcher::backfill: the thread of the stored post `uri`.
  boost::asio::awaitable<Result<BackfillCounts>> run(std::string uri);

 private:
  // One backfill's state: ids seen, pages left, the counts.
  struct Walk {
    std::string thread;   // the thread root as stored: the budget's key
    std::string context;  // the thread's context URI; may be empty
    BackfillCounts counts;
    std::set<std::string> seen_ids;
    std::set<std::string> seen_pages;
    int pages_left = 0;
    bool budget_spent = false;
    bool read_any = false;  // a replies collection was read
  };

  // The post ids of the collection at `url` (or embedded as `embedded`, which may be null):
  // items/orderedItems of the collection, its `first` page and the `next` pages, within the page
  // and item caps. An error when the collection itself cannot be read or is no collection.
  boost::asio::awaitable<Result<std::vector<std::string>>> read_collection(
      Walk& walk, std::string url, const rapidjson::Value* embedded);

  // GETs one page for the walk (within the budget and the cooldown, recorded).
  boost::asio::awaitable<Result<rapidjson::Document>> fetch_page(Walk& walk,
                                                                 const std::string& url);

  // Fetches the ids that are not stored; returns those that are stored afterwards.
  boost::asio::awaitable<std::vector<std::string>> fetch_missing(
      Walk& walk, const std::vector<std::string>& ids);

  // Breadth-first through the replies collections from `top`.
  boost::asio::awaitable<void> crawl_replies(Walk& walk, const std::string& top);

  storage::Database& db_;
  ThreadFetcher& posts_;
  as2::InstanceInfo instance_;
  Clock clock_;
  BackfillSettings settings_;
  std::shared_ptr<spdlog::logger> log_;
};

}  // namespace civicpub::federation
