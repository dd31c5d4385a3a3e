// A PostFetcher for the services tests: stored posts come from the database, as with the real
// RemotePosts; "remote" posts registered with `serve` are stored (with their author) on first
// request, as a fetch would; anything else fails like an unreachable origin.
#pragma once

#include "federation/federation_error.hpp"
#include "federation/remote/post_fetcher.hpp"
#include "storage/actors.hpp"
#include "storage/database.hpp"
#include "storage/posts.hpp"

#include <map>
#include <string>
#include <vector>

namespace civicpub::testing {

class FakePostFetcher final : public federation::PostFetcher {
 public:
  explicit FakePostFetcher(storage::Database& db) : db_(db) {}

  // `post.author_id` is ignored: the post is stored under `author` (upserted).
  void serve(storage::PostRecord post, storage::ActorRecord author) {
    // The key first: in `a = b` the right side is evaluated first and would move ap_id away.
    std::string key = post.ap_id;
    remote_[key] = {std::move(post), std::move(author)};
  }

  // What ancestors() "fetches" above a post: stored when asked for, like the real walk would.
  void serve_ancestor(storage::PostRecord post, storage::ActorRecord author) {
    ancestors_.push_back({std::move(post), std::move(author)});
  }

  boost::asio::awaitable<Result<storage::PostRecord>> post(std::string uri) override {
    requested.push_back(uri);
    auto stored = find(uri);
    if (!stored) co_return stored.error();
    if (*stored) co_return std::move(**stored);
    const auto found = remote_.find(uri);
    if (found == remote_.end()) co_return federation::FederationError::fetch_failed;
    auto inserted = store(found->second);
    if (!inserted) co_return inserted.error();
    co_return std::move(*inserted);
  }

  boost::asio::awaitable<Result<std::size_t>> ancestors(std::string uri) override {
    ancestors_asked.push_back(uri);
    std::size_t fetched = 0;
    for (const auto& entry : ancestors_) {
      auto stored = find(entry.post.ap_id);
      if (!stored) co_return stored.error();
      if (*stored) continue;
      auto inserted = store(entry);
      if (!inserted) co_return inserted.error();
      ++fetched;
    }
    if (fetched > 0 && !relink_from_.empty()) {
      auto relinked = db_.write_sync([&](storage::Connection& c) {
        return storage::posts::relink_thread_root(c, relink_from_, relink_to_);
      });
      if (!relinked) co_return relinked.error();
    }
    co_return fetched;
  }

  // The owner a context collection names (its attributedTo), stored on first request as the
  // real resolver would; unknown contexts fail like an unreachable origin.
  void serve_context_owner(std::string context, storage::ActorRecord owner) {
    contexts_[std::move(context)] = std::move(owner);
  }

  boost::asio::awaitable<Result<storage::ActorRecord>> context_owner(
      std::string context_uri) override {
    contexts_asked.push_back(context_uri);
    const auto found = contexts_.find(context_uri);
    if (found == contexts_.end()) co_return federation::FederationError::fetch_failed;
    auto owner = found->second;
    auto id = db_.write_sync(
        [&](storage::Connection& c) { return storage::actors::upsert_remote(c, owner); });
    if (!id) co_return id.error();
    owner.id = *id;
    co_return owner;
  }

  // Backfill only records what it was asked for: the services tests check the trigger.
  boost::asio::awaitable<Result<federation::BackfillCounts>> backfill(std::string uri) override {
    backfill_asked.push_back(uri);
    co_return federation::BackfillCounts{};
  }

  // After ancestors() stored something: posts with thread_root `from` get `to` (the late-parent
  // relink the real fetcher does).
  void relink(std::string from, std::string to) {
    relink_from_ = std::move(from);
    relink_to_ = std::move(to);
  }

  std::vector<std::string> requested;
  std::vector<std::string> ancestors_asked;
  std::vector<std::string> contexts_asked;
  std::vector<std::string> backfill_asked;

 private:
  struct Entry {
    storage::PostRecord post;
    storage::ActorRecord author;
  };

  Result<std::optional<storage::PostRecord>> find(const std::string& uri) {
    return db_.read([&](storage::Connection& c) { return storage::posts::find_by_ap_id(c, uri); });
  }

  Result<storage::PostRecord> store(const Entry& entry) {
    return db_.write_sync([&](storage::Connection& c) -> Result<storage::PostRecord> {
      auto author_id = storage::actors::upsert_remote(c, entry.author);
      if (!author_id) return author_id.error();
      auto post = entry.post;
      post.author_id = *author_id;
      auto id = storage::posts::insert(c, post);
      if (!id) return id.error();
      post.id = *id;
      return post;
    });
  }

  storage::Database& db_;
  std::map<std::string, Entry> remote_;
  std::vector<Entry> ancestors_;
  std::map<std::string, storage::ActorRecord> contexts_;
  std::string relink_from_;
  std::string relink_to_;
};

}  // namespace civicpub::testing
