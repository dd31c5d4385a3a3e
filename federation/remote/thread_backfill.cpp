#include "federation/remote/thread_backfill.hpp"
#include "federation/http/urls.hpp"

#include "federation/remote/actor_document.hpp"
#include "federation/as2/error.hpp"
#include "federation/as2/reader.hpp"
#include "federation/federation_error.hpp"
#include "federation/storage_async.hpp"
#include "storage/object_fetches.hpp"
#include "storage/posts.hpp"
#include "storage/tombstones.hpp"

#include <deque>

namespace civicpub::federation {

const char* to_string(BackfillSource source) noexcept {
  switch (source) {
    case BackfillSource::none: return "none";
    case BackfillSource::local: return "local";
    case BackfillSource::recent: return "recent";
    case BackfillSource::context: return "context";
    case BackfillSource::replies: return "replies";
  }
  return "none";
}

namespace {

// Write jobs and predicates are built by plain functions, never as lambdas inside a coroutine
// body (GCC 12 destroys a coroutine-local lambda's by-value captures twice).
auto record_job(std::string uri, std::string thread, storage::Millis at, bool ok,
                std::string error) {
  return [uri = std::move(uri), thread = std::move(thread), at, ok,
          error = std::move(error)](storage::Connection& c) {
    return storage::object_fetches::record(c, uri, thread, at, ok, error);
  };
}

// The key under which the last backfill of `thread` is remembered (the thread cooldown). It is
// recorded without a thread, so it does not count against the thread's budget.
std::string marker_of(const std::string& thread) {
  return "backfill:" + thread;
}

bool is_collection(const rapidjson::Value& doc) {
  return as2::has_type(doc, "OrderedCollection") || as2::has_type(doc, "Collection") ||
         as2::has_type(doc, "OrderedCollectionPage") || as2::has_type(doc, "CollectionPage");
}

bool is_page(const rapidjson::Value& doc) {
  return as2::has_type(doc, "OrderedCollectionPage") || as2::has_type(doc, "CollectionPage");
}

bool has_items(const rapidjson::Value& doc) {
  return as2::find_member(doc, "orderedItems") != nullptr ||
         as2::find_member(doc, "items") != nullptr;
}

// The post id an item stands for: a string, the id of an embedded object, or for an embedded
// Create the id of its object (FEP-f228 lets a context list activities). Nothing else of an
// embedded object is used: the post is fetched from its origin.
std::optional<std::string> item_id(const rapidjson::Value& item) {
  if (item.IsObject() && as2::has_type(item, "Create")) return as2::member_id(item, "object");
  return as2::id_of(item);
}

// A fetched post belongs to the thread when it names the thread's context, is its top post, or
// replies to a post of the thread (stored, or listed by the same walk).
struct Membership {
  storage::Database* db;
  const std::set<std::string>* listed;
  std::string thread;
  std::string context;
};

ThreadFetcher::Belongs belongs_to(Membership m) {
  return [m = std::move(m)](const CheckedPost& checked) {
    const auto& post = checked.post;
    if (post.id == m.thread) return true;
    if (!m.context.empty() && post.context && *post.context == m.context) return true;
    if (!post.in_reply_to) return false;
    const auto& parent = *post.in_reply_to;
    if (parent == m.thread || m.listed->count(parent) > 0) return true;
    auto stored = m.db->read(
        [&](storage::Connection& c) { return storage::posts::find_by_ap_id(c, parent); });
    return stored && *stored && (*stored)->thread_root == m.thread;
  };
}

}  // namespace

ThreadBackfill::ThreadBackfill(storage::Database& db, ThreadFetcher& posts,
                               as2::InstanceInfo instance, Clock clock, BackfillSettings settings,
                               std::shared_ptr<spdlog::logger> log)
    : db_(db),
      posts_(posts),
      instance_(std::move(instance)),
      clock_(std::move(clock)),
      settings_(settings),
      log_(std::move(log)) {}

boost::asio::awaitable<Result<rapidjson::Document>> ThreadBackfill::fetch_page(
    Walk& walk, const std::string& url) {
  if (walk.pages_left <= 0) co_return make_error_code(FederationError::fetch_failed);
  auto allowed = posts_.may_fetch(url, walk.thread);
  if (!allowed) co_return allowed.error();
  if (*allowed == ThreadFetch::budget_spent) walk.budget_spent = true;
  if (*allowed != ThreadFetch::stored) co_return make_error_code(FederationError::fetch_failed);
  --walk.pages_left;
  const auto now = clock_();
  auto doc = co_await posts_.fetch_document(url);
  const std::string error = doc ? std::string() : doc.error().message();
  auto recorded = co_await write(db_, record_job(url, walk.thread, now, !!doc, error));
  if (!recorded) log_->warn("cannot record the fetch of {}: {}", url, recorded.error().message());
  if (doc) {
    ++walk.counts.pages;
  } else {
    log_->info("thread {}: collection page {} not read: {}", walk.thread, url, error);
  }
  co_return doc;
}

boost::asio::awaitable<Result<std::vector<std::string>>> ThreadBackfill::read_collection(
    Walk& walk, std::string url, const rapidjson::Value* embedded) {
  rapidjson::Document current;
  if (embedded != nullptr && embedded->IsObject() &&
      (has_items(*embedded) || as2::find_member(*embedded, "first") != nullptr)) {
    current.CopyFrom(*embedded, current.GetAllocator());
  } else {
    if (url.empty() || !walk.seen_pages.insert(url).second) {
      co_return make_error_code(FederationError::object_not_found);
    }
    auto got = co_await fetch_page(walk, url);
    if (!got) co_return got.error();
    current = std::move(*got);
  }
  if (!is_collection(current)) {
    log_->info("thread {}: {} is no collection", walk.thread, url);
    co_return make_error_code(as2::DocumentError::not_an_object);
  }

  std::vector<std::string> ids;
  const auto item_limit = static_cast<std::size_t>(settings_.item_limit);
  const auto take_items = [&](const rapidjson::Value& page) {
    for (const char* name : {"orderedItems", "items"}) {
      const auto* items = as2::find_member(page, name);
      if (items == nullptr) continue;
      const auto take = [&](const rapidjson::Value& item) {
        if (walk.seen_ids.size() >= item_limit) return;
        auto id = item_id(item);
        if (id && walk.seen_ids.insert(*id).second) ids.push_back(std::move(*id));
      };
      if (items->IsArray()) {
        for (const auto& item : items->GetArray()) take(item);
      } else {
        take(*items);
      }
    }
  };
  take_items(current);
  const rapidjson::Value* link =
      as2::find_member(current, is_page(current) ? "next" : "first");
  while (link != nullptr && !link->IsNull() && walk.seen_ids.size() < item_limit) {
    rapidjson::Document page;
    if (link->IsObject() && has_items(*link)) {
      // An embedded page (Mastodon embeds the first page of `replies`).
      page.CopyFrom(*link, page.GetAllocator());
      if (auto id = as2::member_id(page, "id")) walk.seen_pages.insert(*id);
    } else {
      auto page_url = as2::id_of(*link);
      if (!page_url || !walk.seen_pages.insert(*page_url).second) break;
      auto got = co_await fetch_page(walk, *page_url);
      if (!got) break;  // what was read so far still counts
      page = std::move(*got);
    }
    take_items(page);
    current = std::move(page);
    link = as2::find_member(current, "next");
  }
  co_return ids;
}

boost::asio::awaitable<std::vector<std::string>> ThreadBackfill::fetch_missing(
    Walk& walk, const std::vector<std::string>& ids) {
  std::vector<std::string> stored_ids;
  for (const auto& id : ids) {
    auto stored =
        db_.read([&](storage::Connection& c) { return storage::posts::find_by_ap_id(c, id); });
    if (!stored) {
      log_->warn("thread {}: cannot read {}: {}", walk.thread, id, stored.error().message());
      ++walk.counts.skipped;
      continue;
    }
    if (*stored) {
      stored_ids.push_back(id);
      continue;
    }
    // What is ours and not stored does not exist (deleted long ago).
    if (http::authority_of(id) == instance_.host || walk.budget_spent) {
      ++walk.counts.skipped;
      continue;
    }
    auto tombstoned =
        db_.read([&](storage::Connection& c) { return storage::tombstones::contains(c, id); });
    if (!tombstoned || *tombstoned) {
      ++walk.counts.skipped;
      continue;
    }
    // Built before the co_await: GCC 12 destroys temporaries in a co_await's arguments twice.
    ThreadFetcher::Belongs belongs = belongs_to({&db_, &walk.seen_ids, walk.thread, walk.context});
    const auto outcome = co_await posts_.fetch_for_thread(id, walk.thread, std::move(belongs));
    if (outcome == ThreadFetch::stored) {
      ++walk.counts.fetched;
      stored_ids.push_back(id);
      continue;
    }
    if (outcome == ThreadFetch::budget_spent) walk.budget_spent = true;
    ++walk.counts.skipped;
  }
  co_return stored_ids;
}

boost::asio::awaitable<void> ThreadBackfill::crawl_replies(Walk& walk, const std::string& top) {
  struct Node {
    std::string uri;
    int depth = 0;
  };
  std::deque<Node> queue{Node{top, 0}};
  std::set<std::string> visited{top};
  const auto item_limit = static_cast<std::size_t>(settings_.item_limit);
  while (!queue.empty() && !walk.budget_spent && walk.seen_ids.size() < item_limit) {
    Node node = std::move(queue.front());
    queue.pop_front();
    if (node.depth >= settings_.depth_limit) continue;
    auto stored = db_.read(
        [&](storage::Connection& c) { return storage::posts::find_by_ap_id(c, node.uri); });
    // Replies to our own posts reach us by delivery; remote ones keep their document.
    if (!stored || !*stored || (*stored)->local || (*stored)->raw_json.empty()) continue;
    auto doc = as2::parse_json((*stored)->raw_json);
    if (!doc || !doc->IsObject()) continue;
    const auto* replies = as2::find_member(*doc, "replies");
    if (replies == nullptr || replies->IsNull()) continue;
    std::string url = as2::id_of(*replies).value_or("");
    auto ids = co_await read_collection(walk, std::move(url),
                                        replies->IsObject() ? replies : nullptr);
    if (!ids) continue;
    walk.read_any = true;
    const auto present = co_await fetch_missing(walk, *ids);
    for (const auto& id : present) {
      if (visited.insert(id).second) queue.push_back(Node{id, node.depth + 1});
    }
  }
}

boost::asio::awaitable<Result<BackfillCounts>> ThreadBackfill::run(std::string uri) {
  auto start =
      db_.read([&](storage::Connection& c) { return storage::posts::find_by_ap_id(c, uri); });
  if (!start) co_return start.error();
  if (!*start) co_return make_error_code(FederationError::object_not_found);
  // The top of the thread first (stopping early is no error): the context is read off it.
  if (!(*start)->in_reply_to.empty()) (void)co_await posts_.ancestors(uri);
  const int depth_limit = settings_.depth_limit;
  auto above = db_.read([&](storage::Connection& c) -> Result<storage::posts::Ancestors> {
    return storage::posts::ancestors(c, uri, depth_limit);
  });
  if (!above) co_return above.error();
  auto post = db_.read([&](storage::Connection& c) { return storage::posts::find_by_ap_id(c, uri); });
  if (!post) co_return post.error();
  if (!*post) co_return make_error_code(FederationError::object_not_found);

  Walk walk;
  walk.thread = (*post)->thread_root;
  // The highest stored post: the top post when we have it.
  const storage::PostRecord& top = above->chain.empty() ? **post : above->chain.front();
  const bool have_top = top.ap_id == walk.thread;
  walk.context = !top.context.empty() ? top.context : (*post)->context;
  if ((have_top && top.local) || http::authority_of(walk.thread) == instance_.host ||
      (!walk.context.empty() && http::authority_of(walk.context) == instance_.host)) {
    walk.counts.source = BackfillSource::local;
    co_return walk.counts;
  }

  const auto now = clock_();
  const std::string marker = marker_of(walk.thread);
  auto last = db_.read(
      [&](storage::Connection& c) { return storage::object_fetches::find(c, marker); });
  if (!last) co_return last.error();
  if (*last && now - (*last)->attempted_at < settings_.thread_cooldown.count()) {
    walk.counts.source = BackfillSource::recent;
    co_return walk.counts;
  }
  auto marked = co_await write(db_, record_job(marker, "", now, true, ""));
  if (!marked) co_return marked.error();

  walk.pages_left = settings_.page_limit;
  if (!walk.context.empty()) {
    auto ids = co_await read_collection(walk, walk.context, nullptr);
    if (ids) {
      walk.counts.source = BackfillSource::context;
      (void)co_await fetch_missing(walk, *ids);
    }
  }
  if (walk.counts.source != BackfillSource::context) {
    co_await crawl_replies(walk, top.ap_id);
    if (walk.read_any) walk.counts.source = BackfillSource::replies;
  }
  walk.counts.listed = walk.seen_ids.size();
  log_->info("thread {}: backfill from {}: {} listed, {} fetched, {} skipped, {} page(s)",
             walk.thread, to_string(walk.counts.source), walk.counts.listed, walk.counts.fetched,
             walk.counts.skipped, walk.counts.pages);
  co_return walk.counts;
}

}  // namespace civicpub::federation
