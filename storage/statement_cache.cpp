#include "storage/statement_cache.hpp"

#include <sqlite3.h>

#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>

namespace civicpub::storage::detail {
namespace {

struct TextHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const noexcept {
    return std::hash<std::string_view>{}(text);
  }
};

using Idle = std::unordered_map<std::string, sqlite3_stmt*, TextHash, std::equal_to<>>;

struct Registry {
  std::mutex mutex;  // connections live on different threads (the read pool, the writer)
  std::unordered_map<sqlite3*, Idle> caches;
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
    idle = std::move(it->second);
    r.caches.erase(it);
  }
  for (auto& [sql, stmt] : idle) sqlite3_finalize(stmt);
}

sqlite3_stmt* take_cached_statement(sqlite3* db, std::string_view sql) {
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  auto cache = r.caches.find(db);
  if (cache == r.caches.end()) return nullptr;
  auto it = cache->second.find(sql);
  if (it == cache->second.end()) return nullptr;
  sqlite3_stmt* stmt = it->second;
  cache->second.erase(it);
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
        cache->second.size() < kStatementsPerConnection &&
        cache->second.try_emplace(sql, stmt).second) {
      return;
    }
  }
  sqlite3_finalize(stmt);
}

std::size_t cached_statement_count(sqlite3* db) {
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  auto cache = r.caches.find(db);
  return cache == r.caches.end() ? 0 : cache->second.size();
}

}  // namespace civicpub::storage::detail
