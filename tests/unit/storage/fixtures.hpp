// Shared helpers for storage tests: a migrated in-memory connection, sample actors, a temp file.
#pragma once

#include "storage/connection.hpp"
#include "storage/errors.hpp"
#include "storage/migrations.hpp"
#include "storage/records.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>
#include <unistd.h>

// Catch would print results with Boost's operator<<, which needs T printable; show the error.
namespace Catch {
template <class T, class E>
struct StringMaker<boost::system::result<T, E>> {
  static std::string convert(const boost::system::result<T, E>& r) {
    return r ? std::string("(value)") : "(error: " + r.error().message() + ")";
  }
};
}  // namespace Catch

namespace civicpub::storage::test {

inline Connection memory_db() {
  auto conn = Connection::open(":memory:");
  REQUIRE(conn);
  auto v = migrate(*conn);
  REQUIRE(v);
  return std::move(*conn);
}

inline ActorRecord local_actor(const std::string& name) {
  ActorRecord a;
  const std::string base = "https://town.example/users/" + name;
  a.uri = base;
  a.local = true;
  a.type = "Person";
  a.username = name;
  a.domain = "town.example";
  a.display_name = "The " + name;
  a.inbox = base + "/inbox";
  a.shared_inbox = "https://town.example/inbox";
  a.outbox = base + "/outbox";
  a.followers = base + "/followers";
  a.following = base + "/following";
  a.url = "https://town.example/@" + name;
  a.key_id = base + "#main-key";
  a.public_key_pem = "PUBLIC " + name;
  a.created_at = a.updated_at = 1000;
  return a;
}

inline ActorRecord remote_actor(const std::string& host, const std::string& name,
                                bool shared_inbox = true) {
  ActorRecord a;
  const std::string base = "https://" + host + "/users/" + name;
  a.uri = base;
  a.type = "Person";
  a.username = name;
  a.domain = host;
  a.inbox = base + "/inbox";
  if (shared_inbox) a.shared_inbox = "https://" + host + "/inbox";
  a.key_id = base + "#main-key";
  a.public_key_pem = "PUBLIC " + name + "@" + host;
  a.raw_json = "{}";
  a.created_at = a.updated_at = a.fetched_at = 2000;
  return a;
}

// A fresh directory under the system temp dir, removed with everything in it at scope exit.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("civicpub-storage-" + std::to_string(::getpid()) + "-" +
             std::to_string(counter.fetch_add(1)));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

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

}  // namespace civicpub::storage::test
