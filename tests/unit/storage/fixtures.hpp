// Shared helpers for storage tests: a migrated in-memory connection, and the test world's actors
// and temp directory (tests/unit/support) under the names these tests use.
#pragma once

#include "storage/connection.hpp"
#include "storage/errors.hpp"
#include "storage/migrations.hpp"
#include "storage/posts.hpp"
#include "storage/records.hpp"
#include "tests/unit/support/catch_result.hpp"
#include "tests/unit/support/records.hpp"
#include "tests/unit/support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <functional>
#include <string>
#include <thread>

namespace civicpub::storage::test {

inline Connection memory_db() {
  auto conn = Connection::open(":memory:");
  REQUIRE(conn);
  auto v = migrate(*conn);
  REQUIRE(v);
  return std::move(*conn);
}

// The test world's named actors (tests/unit/support/records.hpp); `shared_inbox` false: a server
// without a shared inbox.
using civicpub::test::local_actor;
inline ActorRecord remote_actor(const std::string& host, const std::string& name,
                                bool shared_inbox = true) {
  auto a = civicpub::test::remote_actor(host, name);
  if (!shared_inbox) a.shared_inbox.clear();
  return a;
}

using civicpub::test::TempDir;

// Polls `cond` until it holds or the deadline passes (no fixed sleeps).
inline bool eventually(const std::function<bool()>& cond,
                       std::chrono::milliseconds deadline = std::chrono::seconds(5)) {
  const auto end = std::chrono::steady_clock::now() + deadline;
  while (std::chrono::steady_clock::now() < end) {
    if (cond()) return true;
    std::this_thread::yield();
  }
  return cond();
}

// A remote post by `author` at https://far.example/notes/<id>, the root of its own thread; its
// row id.
inline std::int64_t a_post(Connection& conn, std::int64_t author, const std::string& id) {
  PostRecord p;
  p.ap_id = "https://far.example/notes/" + id;
  p.author_id = author;
  p.thread_root = p.ap_id;
  p.published = 1;
  return posts::insert(conn, p).value();
}

}  // namespace civicpub::storage::test
