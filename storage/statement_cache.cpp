#include "storage/statement_cache.hpp"

#include <sqlite3.h>

#include <array>
#include <atomic>
#include <cassert>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace civicpub::storage::detail {
namespace {

struct TextHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const noexcept {
    return std::hash<std::string_view>{}(text);
  }
};

using Idle = std::unordered_map<std::string, sqlite3_stmt*, TextHash, std::equal_to<>>;

// One connection's idle statements, and the map nodes of the statements taken out: a recycle
// puts its statement back in one of them (the key is assigned in place, within its capacity),
// so a statement's round trip allocates nothing once the connection has run its queries once.
struct Cache {
  Idle idle;
  std::vector<Idle::node_type> spare;
#ifndef NDEBUG
  std::atomic<int> users{0};  // Debug builds check that one thread at a time uses it
#endif
};

// The caches are found without a lock. A connection is used by one thread at a time (it is
// opened SQLITE_OPEN_NOMUTEX, which requires the same of SQLite's own use of it: the read pool
// lends each connection to one reader, the writer and the checkpointer own theirs), so its
// cache needs no lock either, and the table of connections changes only when one opens or
// closes. The one process-wide mutex this file had around every take and recycle was about 6%
// of civicpub's CPU during an inbox burst, most of it waiting in futex calls
// (docs/performance.md, fix 33).
//
// A slot's `cache` is written only while its `db` is null or before `db` is published
// (release), and read only by the thread using that connection, after an acquire load of `db`
// found it.
struct Slot {
  std::atomic<sqlite3*> db{nullptr};
  Cache* cache = nullptr;
};

// Beyond this many open connections a connection's statements are simply not kept (finalized
// after use, as for an unregistered connection). A server opens about six.
constexpr std::size_t kSlots = 64;

struct Registry {
  std::mutex mutex;  // register and drop only
  std::array<Slot, kSlots> slots;
};

Registry& registry() {
  static Registry instance;
  return instance;
}

Cache* find_cache(sqlite3* db) {
  for (auto& slot : registry().slots) {
    if (slot.db.load(std::memory_order_acquire) == db) return slot.cache;
  }
  return nullptr;
}

// Marks the cache in use for a scope (Debug builds): two threads using one connection at once
// is a bug of the caller, and here it would corrupt the map.
class Using {
 public:
  explicit Using(Cache* cache) : cache_(cache) {
#ifndef NDEBUG
    const int before = cache_->users.fetch_add(1, std::memory_order_acq_rel);
    assert(before == 0 && "a connection used by two threads at once");
    (void)before;
#endif
  }
  ~Using() {
#ifndef NDEBUG
    cache_->users.fetch_sub(1, std::memory_order_acq_rel);
#endif
  }
  Using(const Using&) = delete;
  Using& operator=(const Using&) = delete;

 private:
  [[maybe_unused]] Cache* cache_;
};

}  // namespace

void register_statement_cache(sqlite3* db) {
  if (db == nullptr) return;
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  if (find_cache(db) != nullptr) return;
  for (auto& slot : r.slots) {
    if (slot.db.load(std::memory_order_relaxed) != nullptr) continue;
    slot.cache = new Cache();
    slot.db.store(db, std::memory_order_release);
    return;
  }
  // Every slot taken: this connection's statements are finalized after use.
}

void drop_statement_cache(sqlite3* db) {
  if (db == nullptr) return;
  Cache* cache = nullptr;
  {
    auto& r = registry();
    std::lock_guard lock(r.mutex);
    for (auto& slot : r.slots) {
      if (slot.db.load(std::memory_order_relaxed) != db) continue;
      slot.db.store(nullptr, std::memory_order_release);
      cache = slot.cache;
      slot.cache = nullptr;
      break;
    }
  }
  if (cache == nullptr) return;
  for (auto& [sql, stmt] : cache->idle) sqlite3_finalize(stmt);
  delete cache;
}

sqlite3_stmt* take_cached_statement(sqlite3* db, std::string_view sql) {
  Cache* cache = find_cache(db);
  if (cache == nullptr) return nullptr;
  Using in_use(cache);
  auto it = cache->idle.find(sql);
  if (it == cache->idle.end()) return nullptr;
  sqlite3_stmt* stmt = it->second;
  auto node = cache->idle.extract(it);
  if (cache->spare.size() < kStatementsPerConnection) cache->spare.push_back(std::move(node));
  return stmt;
}

void recycle_statement(sqlite3_stmt* stmt) {
  if (stmt == nullptr) return;
  // Reset first: a statement left mid-way keeps its read transaction (and the WAL snapshot) open.
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  Cache* cache = find_cache(sqlite3_db_handle(stmt));
  const char* sql = sqlite3_sql(stmt);
  if (cache != nullptr && sql != nullptr) {
    Using in_use(cache);
    auto& c = *cache;
    if (c.idle.size() < kStatementsPerConnection) {
      if (c.spare.empty()) {
        if (c.idle.try_emplace(sql, stmt).second) return;
      } else {
        auto node = std::move(c.spare.back());
        c.spare.pop_back();
        node.key() = sql;
        node.mapped() = stmt;
        auto inserted = c.idle.insert(std::move(node));
        if (inserted.inserted) return;
        c.spare.push_back(std::move(inserted.node));  // one for the same SQL is kept already
      }
    }
  }
  sqlite3_finalize(stmt);
}

std::size_t cached_statement_count(sqlite3* db) {
  Cache* cache = find_cache(db);
  return cache == nullptr ? 0 : cache->idle.size();
}

}  // namespace civicpub::storage::detail
