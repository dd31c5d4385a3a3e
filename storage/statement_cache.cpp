#include "storage/statement_cache.hpp"

#include <sqlite3.h>

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
};

struct Registry {
  std::mutex mutex;  // connections live on different threads (the read pool, the writer)
  std::unordered_map<sqlite3*, Cache> caches;
};

Registry& registry() {
  static Registry instance;
  return instance;
}

}  // namespace

void register_statement_cache(sqlite3* db) {
  if (db == nullptr) return;
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  r.caches.try_emplace(db);
}

void drop_statement_cache(sqlite3* db) {
  if (db == nullptr) return;
  Idle idle;
  {
    auto& r = registry();
    std::lock_guard lock(r.mutex);
    auto it = r.caches.find(db);
    if (it == r.caches.end()) return;
    idle = std::move(it->second.idle);
    r.caches.erase(it);
  }
  for (auto& [sql, stmt] : idle) sqlite3_finalize(stmt);
}

sqlite3_stmt* take_cached_statement(sqlite3* db, std::string_view sql) {
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  auto cache = r.caches.find(db);
  if (cache == r.caches.end()) return nullptr;
  auto it = cache->second.idle.find(sql);
  if (it == cache->second.idle.end()) return nullptr;
  sqlite3_stmt* stmt = it->second;
  auto node = cache->second.idle.extract(it);
  if (cache->second.spare.size() < kStatementsPerConnection) {
    cache->second.spare.push_back(std::move(node));
  }
  return stmt;
}

void recycle_statement(sqlite3_stmt* stmt) {
  if (stmt == nullptr) return;
  // Reset first: a statement left mid-way keeps its read transaction (and the WAL snapshot) open.
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  {
    auto& r = registry();
    std::lock_guard lock(r.mutex);
    auto cache = r.caches.find(sqlite3_db_handle(stmt));
    const char* sql = sqlite3_sql(stmt);
    if (cache != r.caches.end() && sql != nullptr &&
        cache->second.idle.size() < kStatementsPerConnection) {
      auto& c = cache->second;
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
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  auto cache = r.caches.find(db);
  return cache == r.caches.end() ? 0 : cache->second.idle.size();
}

}  // namespace civicpub::storage::detail
